/**
 * Builds Ferry's image with the project's script (cached by input hash, scripts/image/build.sh) and runs it with
 * Debian's podman. Podman here: its own storage under /var/tmp (vfs driver: no overlay mounts in this sandbox),
 * runc (crun refuses this machine's hybrid cgroups), cgroupfs, no events journal, explicit ulimits (raising them is
 * not permitted here), slirp4netns networking with ports published on 127.0.0.1 only.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const STORE = process.env.FERRY_PODMAN_STORE ?? '/var/tmp/ferry-podman';
const BASE = [
  '--root', `${STORE}/root`, '--runroot', `${STORE}/run`, '--storage-driver', 'vfs',
  '--cgroup-manager', 'cgroupfs', '--events-backend', 'none', '--runtime', 'runc',
];

export interface BuiltImage {
  oci: string;
  tag: string;
  rootfs: string;
}

async function have(cmd: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

/** Fails (never skips) with the install command when a tool is missing or the caller is not root. */
export async function requireTools(): Promise<void> {
  const missing: string[] = [];
  for (const t of ['mmdebstrap', 'umoci', 'podman', 'runc', 'slirp4netns']) if (!(await have(t))) missing.push(t);
  if (missing.length) throw new Error(`image test: missing ${missing.join(', ')}: run scripts/image/install.sh (as root)`);
  if (process.getuid?.() !== 0) throw new Error('image test: building and running the image needs root (CI runs as root)');
}

export async function buildImage(): Promise<BuiltImage> {
  const { stdout } = await run('bash', ['scripts/image/build.sh'], { maxBuffer: 1 << 24, timeout: 15 * 60_000 }).catch(
    (err: { stderr?: string; message: string }) => {
      throw new Error(`scripts/image/build.sh failed: ${err.stderr?.trim().split('\n').slice(-8).join('\n') || err.message}`);
    },
  );
  const value = (k: string) => {
    const v = new RegExp(`^${k}=(.*)$`, 'm').exec(stdout)?.[1];
    if (!v) throw new Error(`scripts/image/build.sh printed no ${k}`);
    return v;
  };
  return { oci: value('FERRY_IMAGE_OCI'), tag: value('FERRY_IMAGE_TAG'), rootfs: value('FERRY_IMAGE_ROOTFS') };
}

export async function podman(args: string[], timeout = 120_000): Promise<{ stdout: string; stderr: string }> {
  return run('podman', [...BASE, ...args], { maxBuffer: 1 << 24, timeout });
}

/** The image in podman's store under its tag (pulled from the OCI layout when not there yet). */
export async function loadImage(img: BuiltImage): Promise<string> {
  const ref = `localhost/ferry:${img.tag}`;
  try {
    await podman(['image', 'exists', ref]);
  } catch {
    const { stdout } = await podman(['pull', '-q', `oci:${img.oci}:${img.tag}`], 300_000);
    await podman(['tag', stdout.trim(), ref]);
    // Older builds go (vfs keeps a full copy of each); one still used by a container stays.
    const { stdout: names } = await podman(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    for (const name of names.split('\n').filter((n) => n.includes('ferry') && n !== ref)) {
      await podman(['rmi', name]).catch(() => undefined);
    }
  }
  return ref;
}

/** Options every run shares: limits this sandbox allows, and no network but the published ports. */
export const RUN_BASE = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096', '--network', 'slirp4netns'];

/** What `podman inspect` says of the image's config (user, entrypoint, cmd, exposed ports). */
export async function imageConfig(ref: string): Promise<{
  User: string;
  Entrypoint: string[];
  Cmd: string[];
  ExposedPorts: Record<string, unknown>;
}> {
  const { stdout } = await podman(['image', 'inspect', '--format', '{{json .Config}}', ref]);
  return JSON.parse(stdout);
}
