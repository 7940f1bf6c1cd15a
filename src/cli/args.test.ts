import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from './args.js';

test('serve with a config file and dex flags in either form, anywhere', () => {
  assert.deepEqual(
    parseArgs(['serve', '--web-http-addr', ':8080', 'config.yaml', '--web-https-addr=:8443', '--telemetry-addr', ':9', '--grpc-addr=:5557']),
    { command: 'serve', configPath: 'config.yaml', webHTTPAddr: ':8080', webHTTPSAddr: ':8443', telemetryAddr: ':9', grpcAddr: ':5557' },
  );
  assert.deepEqual(parseArgs(['serve', 'c.yaml']), { command: 'serve', configPath: 'c.yaml' });
  assert.deepEqual(parseArgs(['serve', '--workers', '4', 'c.yaml']), { command: 'serve', configPath: 'c.yaml', workers: 4 });
});

test('bare ferry prints help and exits 2; help exits 0', () => {
  assert.deepEqual(parseArgs([]), { command: 'help', exitCode: 2 });
  for (const h of [['help'], ['--help'], ['-h'], ['serve', '--help']]) assert.deepEqual(parseArgs(h), { command: 'help', exitCode: 0 }, h.join(' '));
});

test('version', () => assert.deepEqual(parseArgs(['version']), { command: 'version' }));

test('usage errors exit 2 with a one-line reason', () => {
  const cases: Array<[string[], RegExp]> = [
    [['serve'], /exactly one config file argument, got 0/],
    [['serve', 'a.yaml', 'b.yaml'], /exactly one config file argument, got 2/],
    [['serve', '--nope', 'a.yaml'], /Unknown option '--nope'/],
    [['serve', 'a.yaml', '--web-http-addr'], /--web-http-addr/],
    [['serve', 'a.yaml', '--grpc-addr='], /--grpc-addr needs a non-empty address/],
    [['serve', 'a.yaml', '--workers', '0'], /--workers needs a whole number from 1 to 1024, got "0"/],
    [['serve', 'a.yaml', '--workers=many'], /--workers needs a whole number/],
    [['launch'], /unknown command "launch"/],
    [['version', 'x'], /takes no arguments/],
  ];
  for (const [argv, message] of cases) {
    const r = parseArgs(argv);
    assert.equal(r.command, 'help', argv.join(' '));
    assert.ok(r.command === 'help' && r.exitCode === 2 && message.test(r.message ?? ''), `${argv.join(' ')}: ${JSON.stringify(r)}`);
    assert.ok(r.command === 'help' && !(r.message ?? '').includes('\n'));
  }
});
