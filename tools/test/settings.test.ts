// The settings module: .env read and checked once, for every tool, in the app's own words.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadEnv, parseEnvFile, readSettings, settingsFrom, SettingsError } from '../lib/settings.js';

const GOOD = { DB_PASSWORD: 'pw', DB_ROOT_PASSWORD: 'root', DB_MIGRATION_PASSWORD: 'migrate' };

describe('settingsFrom', () => {
  it('gives the documented defaults for what .env leaves empty', () => {
    const s = settingsFrom({ ...GOOD, HTTP_PORT: '', HTTPS_PORT: '', HTTPS_ONLY: '', APP_IMAGE: '', APP_REPLICAS: '', AUTH_RATE_PER_MINUTE: '' }, {});
    assert.equal(s.ports.http, 8080);
    assert.equal(s.ports.https, 8443);
    assert.equal(s.httpsOnly, false);
    assert.equal(settingsFrom({ ...GOOD, HTTPS_ONLY: '1' }, {}).httpsOnly, true);
    assert.equal(s.docker.appImage, 'stacklab-app');
    assert.equal(s.appReplicas, 1);
    assert.equal(s.authLimit.ratePerMinute, 20);
    assert.equal(s.stack, 'auto');
    assert.equal(s.mode, 'dev');
  });

  it('reports every problem at once, naming each variable, in the words of the app', () => {
    const err = (() => {
      try {
        settingsFrom({ HTTP_PORT: 'eighty', HTTPS_PORT: '70000', HTTPS_ONLY: 'yes', APP_REPLICAS: '9', INSPECTOR_LOG_MAX_BYTES: '10' }, { STACK: 'podman', MODE: 'fast' });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof SettingsError);
    for (const expected of [
      /HTTP_PORT must be a whole number from 1 to 65535 \(got "eighty"\)/,
      /HTTPS_PORT must be a whole number from 1 to 65535 \(got "70000"\)/,
      /HTTPS_ONLY must be one of 0, 1 \(got "yes"\)/,
      /APP_REPLICAS must be a whole number from 1 to 8 \(got "9"\)/,
      /INSPECTOR_LOG_MAX_BYTES must be a whole number from 1024/,
      /DB_PASSWORD is missing/,
      /DB_ROOT_PASSWORD is missing/,
      /DB_MIGRATION_PASSWORD is missing/,
      /STACK must be one of auto, docker, native \(got "podman"\)/,
      /MODE must be one of dev, prod \(got "fast"\)/,
    ]) {
      assert.match(err.message, expected);
    }
  });

  it('uses the CA the host Node trusts when EXTRA_CA_CERT is empty, and the setting when it is not', () => {
    assert.equal(settingsFrom({ ...GOOD, EXTRA_CA_CERT: '' }, { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }).docker.extraCaCert, '/etc/ca.pem');
    assert.equal(settingsFrom({ ...GOOD, EXTRA_CA_CERT: '/mine.pem' }, { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' }).docker.extraCaCert, '/mine.pem');
    assert.equal(settingsFrom({ ...GOOD }, {}).docker.extraCaCert, '');
  });

  it('is frozen', () => {
    const s = settingsFrom({ ...GOOD }, {});
    assert.throws(() => ((s.ports as { http: number }).http = 1));
  });
});

describe('.env files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-settings-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads NAME=value lines, with quotes removed and Windows line ends (CRLF) accepted', () => {
    assert.deepEqual(parseEnvFile('# comment\r\nA=1\r\nB="two words"\r\n  C = \'x\' \r\nlower=no\r\n'), { A: '1', B: 'two words', C: 'x' });
  });

  it('lets a non-empty value in the shell win over .env, and ignores an empty one', () => {
    const file = path.join(dir, 'shell.env');
    writeFileSync(file, 'HTTP_PORT=8080\nDB_PASSWORD=pw\nDB_ROOT_PASSWORD=root\nDB_MIGRATION_PASSWORD=migrate\n');
    assert.equal(loadEnv(file, { HTTP_PORT: '8081' }).HTTP_PORT, '8081');
    assert.equal(loadEnv(file, { HTTP_PORT: '' }).HTTP_PORT, '8080');
    // A name .env does not have yet, but .env.example knows, is taken from the shell too.
    assert.equal(loadEnv(file, { INSPECTOR_PORT: '9000' }).INSPECTOR_PORT, '9000');
    assert.equal(readSettings(file, { HTTP_PORT: '8082' }).ports.http, 8082);
  });
});
