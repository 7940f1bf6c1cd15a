import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { kubernetesStorage, openKubernetesStorage } from './index.js';

// Against the SIMULATED API server of test/peers/kube-api/start.sh (no kube-apiserver can be installed here).
// Each storage gets its own Kubernetes namespace.
const kubeConfigFile = process.env.FERRY_KUBECONFIG;
const deps = { logger: silentLogger(), now: () => new Date() };

runStorageConformance({
  name: 'kubernetes (simulated API server)',
  open: async () => {
    if (!kubeConfigFile) throw new Error('FERRY_KUBECONFIG is not set: start test/peers/kube-api/start.sh (node scripts/test.mjs --peers kube-api)');
    const config = kubernetesStorage.parseConfig({ kubeConfigFile }, 'storage.config');
    return openKubernetesStorage(config, deps, { namespace: `conformance-${randomBytes(5).toString('hex')}` });
  },
});
