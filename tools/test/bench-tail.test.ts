// The tail experiments' parts that need nothing started: each experiment's one change still applies
// to nginx/ as it is (an edit that found nothing would measure the baseline twice and "prove" the
// change does not matter), the round order, the medians.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { median } from '../bench/load-plan.js';
import { pickVariants, replace, roundOrder, TAIL_VARIANTS } from '../bench/tail-variants.js';
import { repoPath } from '../lib/repo.js';

const files = () => ({
  main: readFileSync(repoPath('nginx/nginx.conf'), 'utf8'),
  site: readFileSync(repoPath('nginx/templates/stacklab.conf.template'), 'utf8'),
});

describe('the tail experiments', () => {
  it("each experiment's edit applies to nginx/ and changes it", () => {
    for (const variant of TAIL_VARIANTS.filter((v) => v.edit)) {
      const before = files();
      const after = variant.edit!(before);
      assert.ok(after.main !== before.main || after.site !== before.site, `${variant.id} changes nothing`);
    }
  });

  it('an edit whose line is gone fails, naming the file', () => {
    assert.throws(() => replace('site', 'no such line;', 'x')(files()), /not in nginx's site template any more/);
  });

  it('every experiment runs early and late alike over the rounds', () => {
    const items = Array.from({ length: 18 }, (_, i) => i);
    const positions = (item: number) => Array.from({ length: 5 }, (_, r) => roundOrder(items, r, 5).indexOf(item));
    for (const item of [0, 1, 17]) {
      const p = positions(item);
      assert.ok(Math.min(...p) <= 3 && Math.max(...p) >= 14, `item ${item} at ${p.join(', ')}`);
    }
    assert.deepEqual([...roundOrder(items, 3, 5)].sort((a, b) => a - b), items, 'each runs once a round');
  });

  it('takes medians, and picks experiments by name (direct and baseline always)', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.deepEqual(pickVariants('gzip-off').map((v) => v.id), ['direct', 'baseline', 'gzip-off']);
    assert.throws(() => pickVariants('gzip-of'), /unknown tail experiment gzip-of/);
  });
});
