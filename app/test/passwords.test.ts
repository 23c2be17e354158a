// Password and username rules, and bcrypt hashing (at cost 4, the lowest bcrypt allows, to stay fast).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPasswordRules, checkPasswordShape, hashPassword, hashRounds, verifyPassword } from '../src/security/passwords.js';
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

  // bcrypt repeats the password (and a NUL after it) to fill 72 bytes: eight NULs and the empty
  // password become the same key, so "\0" × 8 would sign in with an empty password.
  it('refuses NUL and every other control character', () => {
    for (const password of ['\0'.repeat(8), 'abcdefgh\0', 'abc\tdefgh', 'abcdefgh\n', 'abc\u001bdefgh', 'abcdefgh\u007f', 'abcdefgh\u0085']) {
      assert.match(checkPasswordRules(password, 'ada') ?? '', /no control characters/, JSON.stringify(password));
    }
    assert.equal(checkPasswordRules('spaces are fine here', 'ada'), undefined);
  });
});

describe('checkPasswordShape (the rule sign-in applies too)', () => {
  it('refuses what could never have been registered: too short, over 72 bytes, a control character', () => {
    assert.match(checkPasswordShape('') ?? '', /at least 8/);
    assert.match(checkPasswordShape('x'.repeat(72) + 'EXTRA') ?? '', /at most 72 bytes/);
    assert.match(checkPasswordShape('\0'.repeat(8)) ?? '', /no control characters/);
  });

  it('accepts a password of an existing account even if it is common today (sign-in must keep working)', () => {
    assert.equal(checkPasswordShape('password123'), undefined);
    assert.equal(checkPasswordShape('x'.repeat(72)), undefined);
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

  // bcrypt's C code works on NUL-terminated strings. The rules refuse NUL now, but accounts made
  // before they did may hold one: this checks that the binding passes the whole password, not just
  // the part before the NUL.
  it('uses the characters after a NUL byte too', async () => {
    const password = 'abcdefgh\0ijklmnop';
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
    for (const name of ['José', 'Ζωή', '山田太郎', 'ada🚀', 'Иван', 'Ada 李', 'ｆｕｌｌｗｉｄｔｈ']) {
      assert.equal(checkUsernameRules(normalizeUsername(name)), undefined, name);
    }
  });

  it('refuses a name that mixes look-alike alphabets: a Cyrillic а beside Latin letters', () => {
    const lookalike = '\u0430dmin5307'; // Cyrillic а, then Latin "dmin5307": looks exactly like admin5307
    assert.match(checkUsernameRules(lookalike) ?? '', /mixes Latin and Cyrillic letters/);
    for (const name of ['pаypal', 'Ηello', 'Ꮪam', 'gօogle']) {
      assert.match(checkUsernameRules(name) ?? '', /letters of one alphabet/, name);
    }
    assert.equal(checkUsernameRules('admin5307'), undefined);
  });
});
