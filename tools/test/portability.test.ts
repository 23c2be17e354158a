// What runs on the learner's machine must run on every one: GNU make 3.81 and bash 3.2 as on macOS,
// BSD tools, dash as on Debian, a checkout made on Windows. This lints the Makefile and the shell
// scripts the Makefile runs for what those lack, and checks that git keeps them at LF line ends.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { repoPath, repoRoot } from '../lib/repo.js';

/** The shell scripts that run on the learner's machine (the rest run on Debian or in containers). */
const HOST_SCRIPTS = ['tools/stacklab.sh', 'tools/lib/env-file.sh', 'tools/runners/docker/docker-runner.sh'];

const MAKE_FORBIDDEN: [RegExp, string][] = [
  [/^\.ONESHELL/m, '.ONESHELL (GNU make 3.82+)'],
  [/^[^#\n]*\s!=\s/m, '!= assignment (GNU make 4.0+)'],
  [/^[^#\n]*::=/m, '::= assignment (GNU make 4.0+)'],
  [/\$\(file\s/, '$(file …) (GNU make 4.0+)'],
  [/\.RECIPEPREFIX/, '.RECIPEPREFIX (GNU make 3.82+)'],
  [/\$\((intcmp|let)\s/, '$(intcmp)/$(let) (GNU make 4.4+)'],
  [/^SHELL\s*:?=\s*\/bin\/bash/m, 'SHELL = bash (recipes must run in /bin/sh)'],
];

const SHELL_FORBIDDEN: [RegExp, string][] = [
  [/declare\s+-A/, 'declare -A (bash 4)'],
  [/\$\{\w+(,,|\^\^)\}/, '${x,,} / ${x^^} (bash 4)'],
  [/\b(mapfile|readarray)\b/, 'mapfile/readarray (bash 4)'],
  [/\|&/, '|& (bash 4)'],
  [/\bsed\s+(-[a-zA-Z]*\s+)*-i\b/, 'sed -i (BSD sed needs a suffix; write to a file instead)'],
  [/\bdate\s+(-[a-zA-Z]*\s+)*-d\b/, 'date -d (GNU only)'],
  [/\breadlink\s+-f\b/, 'readlink -f (GNU only)'],
  [/\bgrep\s+(-[a-zA-Z]*\s+)*-[a-zA-Z]*P/, 'grep -P (GNU only)'],
  [/(^|[\s;&|])\[\[\s/, '[[ (not POSIX sh)'],
  [/^\s*function\s+\w+/m, 'function keyword (not POSIX sh)'],
  [/^\s*local\s/m, 'local (not POSIX sh)'],
  [/^\s*source\s/m, 'source (use .)'],
  [/<<</, '<<< here-strings (not POSIX sh)'],
  [/\$'/, "$'…' strings (not POSIX sh)"],
  [/\becho\s+-e\b/, 'echo -e (use printf)'],
  [/\bxargs\s+(-[a-zA-Z]*\s+)*-r\b/, 'xargs -r (GNU only)'],
  [/\b(timeout|realpath)\s/, 'timeout/realpath (not on macOS by default)'],
  [/\bstat\s+-c\b/, 'stat -c (GNU only)'],
];

const withoutComments = (text: string) =>
  text
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? '' : line))
    .join('\n');

describe('the learner-side Makefile and shell scripts', () => {
  it('use nothing GNU make 3.81 lacks', () => {
    const makefile = withoutComments(readFileSync(repoPath('Makefile'), 'utf8'));
    for (const [pattern, what] of MAKE_FORBIDDEN) assert.doesNotMatch(makefile, pattern, `Makefile uses ${what}`);
  });

  it('use nothing bash 3.2, dash or BSD tools lack', () => {
    for (const file of HOST_SCRIPTS) {
      const text = withoutComments(readFileSync(repoPath(file), 'utf8'));
      for (const [pattern, what] of SHELL_FORBIDDEN) assert.doesNotMatch(text, pattern, `${file} uses ${what}`);
    }
  });

  it('parse as POSIX sh (dash) and as bash in POSIX mode', () => {
    for (const file of HOST_SCRIPTS) {
      for (const shell of [['sh', '-n'], ['bash', '--posix', '-n']]) {
        const result = spawnSync(shell[0]!, [...shell.slice(1), repoPath(file)], { encoding: 'utf8' });
        assert.equal(result.status, 0, `${shell.join(' ')} ${file}: ${result.stderr}`);
      }
    }
  });

  it('catches what it should: the lint rejects each forbidden construct', () => {
    const samples = ['declare -A map', 'echo ${name,,}', 'mapfile -t lines', 'a |& b', "sed -i 's/a/b/' f", 'date -d yesterday', 'readlink -f x', 'grep -P x', 'if [[ x ]]', 'local x=1'];
    for (const sample of samples) assert.ok(SHELL_FORBIDDEN.some(([pattern]) => pattern.test(sample)), sample);
    assert.ok(!SHELL_FORBIDDEN.some(([pattern]) => pattern.test("sed -n 's/a/b/p' f")), 'sed -n is fine');
    for (const sample of ['.ONESHELL:', 'X != ls', 'Y ::= 1', '$(file >x,y)', 'SHELL := /bin/bash']) {
      assert.ok(MAKE_FORBIDDEN.some(([pattern]) => pattern.test(sample)), sample);
    }
  });
});

describe('line ends in a Windows checkout (core.autocrlf=true)', () => {
  it('are kept at LF by .gitattributes for scripts, configs, SQL and the Makefile', () => {
    const files = spawnSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).stdout.split('\n').filter((f) =>
      /(\.sh|\.sql|\.cnf|\.conf|\.template|\.ya?ml|\.ts|\.json|\.md|\.njk|Makefile|Dockerfile|\.env\.example)$/.test(f),
    );
    assert.ok(files.length > 50);
    const attributes = spawnSync('git', ['check-attr', 'eol', '--', ...files], { cwd: repoRoot, encoding: 'utf8' }).stdout;
    const notLf = attributes.split('\n').filter((line) => line && !line.endsWith(': eol: lf'));
    assert.deepEqual(notLf, [], 'every one of these files has eol=lf');
  });
});
