// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

/** Scripts the console's tests run in the browser (Selenium's asynchronous script calls). */
final class BrowserScripts {
  private BrowserScripts() {}

  /**
   * Imports {@code proof.js} and checks, with its functions, the service's consistency proofs
   * between every pair of the trees given ({@code "size:base64 root"}), each also with one byte
   * changed, and the inclusion proof of every leaf ({@code base64 leaf hashes} by index) in every
   * tree that holds it. Answers {@code [proofs checked, [what failed]]}.
   */
  static final String PROOFS_AGAINST_THE_LOG =
      """
      const done = arguments[arguments.length - 1];
      const [trees, leaves] = [arguments[0], arguments[1]];
      (async () => {
        const p = await import('/console/assets/proof.js');
        const proof = async (url) =>
          (await (await fetch(url, { cache: 'no-store' })).json()).proof.map(p.fromBase64);
        const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
        const t = trees.map((s) => {
          const [size, root] = s.split(':');
          return { size: Number(size), root: p.fromBase64(root) };
        });
        const wrong = [];
        let checked = 0;
        for (const a of t) {
          for (const b of t) {
            if (a.size >= b.size) continue;
            const c = await proof('/v1/audit/proof/consistency?from=' + a.size + '&to=' + b.size);
            if (!(await p.consistent(a, b, c))) wrong.push('consistency ' + a.size + '->' + b.size);
            if (c.length > 0) {
              const forged = c.map((h) => h.slice());
              forged[0][0] ^= 1;
              if (await p.consistent(a, b, forged)) wrong.push('forged ' + a.size + '->' + b.size);
            }
            checked++;
          }
        }
        for (const b of t) {
          for (let i = 0; i < b.size; i++) {
            const path = await proof('/v1/audit/proof/inclusion?index=' + i + '&size=' + b.size);
            const root = await p.rootFromInclusion(i, b.size, p.fromBase64(leaves[i]), path);
            if (!same(root, b.root)) wrong.push('inclusion ' + i + ' in ' + b.size);
            checked++;
          }
        }
        done([checked, wrong]);
      })().catch((e) => done([0, ['error: ' + e.message]]));
      """;
}
