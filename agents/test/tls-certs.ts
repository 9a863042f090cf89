import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeFile } from './helpers.ts';

/** Test certificates for 127.0.0.1, made with the openssl CLI (openssl 3.0 compatible). */

export interface TestCert {
  key: Buffer;
  cert: Buffer;
  certFile: string;
  /** notAfter, epoch seconds */
  notAfter: number;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SUBJECT = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];

function load(dir: string): TestCert {
  const certFile = join(dir, 'cert.pem');
  const end = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-enddate'], { encoding: 'utf8' });
  return {
    key: readFileSync(join(dir, 'key.pem')),
    cert: readFileSync(certFile),
    certFile,
    notAfter: Math.round(Date.parse(end.trim().replace(/^notAfter=/, '')) / 1000),
  };
}

/** A self-signed certificate valid for `days`. */
export function selfSignedCert(days = 2): TestCert {
  const dir = tempDir('nop-cert-');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...KEY_ARGS,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      String(days),
      ...SUBJECT,
    ],
    { stdio: 'ignore' },
  );
  return load(dir);
}

/**
 * A self-signed certificate that expired on 2020-01-02: `openssl req -days` refuses values < 1, so it
 * is signed by `openssl ca -selfsign` with explicit -startdate/-enddate.
 */
export function expiredCert(): TestCert {
  const dir = tempDir('nop-cert-old-');
  writeFile(dir, 'index.txt', '');
  writeFile(dir, 'serial', '01\n');
  const config = writeFile(
    dir,
    'ca.cnf',
    [
      '[ ca ]',
      'default_ca = d',
      '[ d ]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = p',
      'unique_subject = no',
      'copy_extensions = copy',
      '[ p ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  execFileSync(
    'openssl',
    ['req', '-new', ...KEY_ARGS, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'req.csr'), ...SUBJECT],
    {
      stdio: 'ignore',
    },
  );
  execFileSync(
    'openssl',
    [
      'ca',
      '-batch',
      '-config',
      config,
      '-selfsign',
      '-keyfile',
      join(dir, 'key.pem'),
      '-in',
      join(dir, 'req.csr'),
      '-out',
      join(dir, 'cert.pem'),
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200102000000Z',
      '-notext',
    ],
    { stdio: 'ignore' },
  );
  return load(dir);
}
