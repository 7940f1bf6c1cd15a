import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SingleFlight } from './single-flight.js';

test('concurrent calls with one key share one run; a settled key runs again', async () => {
  const sf = new SingleFlight<number>();
  let runs = 0;
  const fn = async () => {
    runs++;
    await new Promise((r) => setImmediate(r));
    return runs;
  };
  const results = await Promise.all([sf.run('k', fn), sf.run('k', fn), sf.run('other', fn)]);
  assert.equal(runs, 2);
  assert.equal(results[0], results[1]);
  assert.equal(sf.size, 0);
  await sf.run('k', fn);
  assert.equal(runs, 3);
});

test('a failure reaches every waiter and is not cached', async () => {
  const sf = new SingleFlight<number>();
  const boom = async (): Promise<number> => {
    throw new Error('upstream down');
  };
  const all = await Promise.allSettled([sf.run('k', boom), sf.run('k', boom)]);
  assert.deepEqual(all.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(await sf.run('k', async () => 7), 7);
});
