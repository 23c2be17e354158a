// The one reader of the stack's JSON logs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldText, parseJsonLines, parseJsonText } from '../lib/json-lines.js';

describe('parseJsonLines', () => {
  it('keeps the JSON objects, in order, and skips everything else', () => {
    const lines = ['{"a":1}', 'plain text', '{"cut in half', '', '[1,2]', 'null', '{"b":2}'];
    assert.deepEqual(parseJsonLines(lines), [{ a: 1 }, { b: 2 }]);
  });

  it('reads past a prefix such as compose puts in front of a container\'s output', () => {
    assert.deepEqual(parseJsonLines(['app-1  | {"event":"request"}']), [{ event: 'request' }]);
  });

  it('reads a whole file\'s text, Windows line ends included', () => {
    assert.deepEqual(parseJsonText('{"a":1}\r\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
  });
});

describe('fieldText', () => {
  it('is empty for a missing or null field, the text otherwise', () => {
    assert.equal(fieldText(undefined), '');
    assert.equal(fieldText(null), '');
    assert.equal(fieldText(0), '0');
    assert.equal(fieldText('x'), 'x');
  });
});
