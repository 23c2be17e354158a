// Password and username rules, and bcrypt hashing (at cost 4, the lowest bcrypt allows, to stay fast).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPasswordRules, hashPassword, hashRounds, verifyPassword } from '../src/security/passwords.js';
import { checkUsernameRules, normalizeUsername } from '../src/security/usernames.js';

const COST = 4;

describe('checkPasswordRules', () => {
  it('refuses 7 characters and accepts exactly 8', () => {
    assert.match(checkPasswordRules('k7#pq2x', 'ada') ?? '', /at least 8 characters/);
    assert.equal(checkPasswordRules('k7#pq2xz', 'ada'), undefined);
  });

  it('counts characters, not UTF-16 units: 8 emoji are 8 characters', () => {
    assert.equal(checkPasswordRules('🔑'.repeat(8), 'ada'), undefined);
    assert.match(checkPasswordRules('🔑'.repeat(7), 'ada') ?? '', /at least 8/);
  });

  it('accepts 72 bytes and refuses 73', () => {
    assert.equal(checkPasswordRules('x'.repeat(72), 'ada'), undefined);
    assert.match(checkPasswordRules('x'.repeat(73), 'ada') ?? '', /at most 72 bytes/);
  });

  it('counts bytes for the upper limit: 36 × "é" is 72 bytes, one more ASCII letter is too many', () => {
    assert.equal(checkPasswordRules('é'.repeat(36), 'ada'), undefined);
    assert.match(checkPasswordRules('é'.repeat(36) + 'x', 'ada') ?? '', /at most 72 bytes/);
    assert.match(checkPasswordRules('🔑'.repeat(19), 'ada') ?? '', /at most 72 bytes/); // 76 bytes
  });

  it('refuses a common password, whatever its case', () => {
    for (const password of ['password', 'PassWord', 'QWERTYUIOP', 'Stacklab']) {
      assert.match(checkPasswordRules(password, 'ada') ?? '', /common passwords/, password);
    }
  });

  it('refuses the username as password, whatever its case', () => {
    assert.match(checkPasswordRules('Ada-Lovelace', 'ada-lovelace') ?? '', /must not be your username/);
  });
});

describe('hashPassword and verifyPassword', () => {
  it('produces a salted $2b$ hash with the cost asked for', async () => {
    const hash = await hashPassword('plum-orbit-canvas-42', COST);
    assert.match(hash, /^\$2b\$04\$/);
    assert.equal(hashRounds(hash), COST);
    assert.notEqual(await hashPassword('plum-orbit-canvas-42', COST), hash, 'a new salt every time');
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('plum-orbit-canvas-42', COST);
    assert.equal(await verifyPassword('plum-orbit-canvas-42', hash), true);
    assert.equal(await verifyPassword('plum-orbit-canvas-43', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  // bcrypt's C code works on NUL-terminated strings. checkPasswordRules does not refuse NUL, so
  // this checks that the binding passes the whole password, not just the part before the NUL.
  it('uses the characters after a NUL byte too', async () => {
    const password = 'abcdefgh\0ijklmnop';
    assert.equal(checkPasswordRules(password, 'ada'), undefined);
    const hash = await hashPassword(password, COST);
    assert.equal(await verifyPassword(password, hash), true);
    assert.equal(await verifyPassword('abcdefgh', hash), false);
    assert.equal(await verifyPassword('abcdefgh\0zzzzzzzz', hash), false);
  });
});

describe('normalizeUsername', () => {
  it('makes the two ways of typing "é" one username (Unicode NFC)', () => {
    const composed = 'jos\u00e9'; // é as one code point
    const decomposed = 'jose\u0301'; // e followed by a combining accent
    assert.notEqual(composed, decomposed);
    assert.equal(normalizeUsername(decomposed), normalizeUsername(composed));
  });

  it('trims spaces around the name, not inside it', () => {
    assert.equal(normalizeUsername('  ada lovelace \n'), 'ada lovelace');
  });
});

describe('checkUsernameRules', () => {
  it('accepts 3 to 32 characters and refuses 2 or 33', () => {
    assert.equal(checkUsernameRules('ada'), undefined);
    assert.equal(checkUsernameRules('a'.repeat(32)), undefined);
    assert.match(checkUsernameRules('ab') ?? '', /3 to 32 characters/);
    assert.match(checkUsernameRules('a'.repeat(33)) ?? '', /3 to 32 characters/);
  });

  it('refuses control characters, NUL included', () => {
    for (const name of ['ada\u0000x', 'ada\tx', 'ada\nx', 'ada\u007fx', 'ada\u200bx']) {
      assert.match(checkUsernameRules(name) ?? '', /letters, digits, spaces and punctuation/, JSON.stringify(name));
    }
  });

  it("accepts SQL-looking text like ' OR 1=1 -- : placeholders, not character bans, stop injection", () => {
    assert.equal(checkUsernameRules(normalizeUsername("' OR 1=1 -- ")), undefined);
  });

  it('accepts letters of any script, and emoji', () => {
    for (const name of ['José', 'Ζωή', '山田太郎', 'ada🚀']) {
      assert.equal(checkUsernameRules(normalizeUsername(name)), undefined, name);
    }
  });
});
