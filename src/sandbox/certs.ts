// Certificates for the sandbox control plane, made with openssl: a CA, the apiserver's serving
// certificate for 127.0.0.1, an admin client certificate in group system:masters, and the
// service-account signing key pair.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ClusterCerts {
  caCert: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function signed(dir: string, name: string, subject: string, extensions: string): void {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '30', '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
}

export function makeClusterCerts(dir: string): ClusterCerts {
  fs.mkdirSync(dir, { recursive: true });
  const p = (f: string) => path.join(dir, f);
  if (!fs.existsSync(p('ca.crt'))) {
    openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30',
      '-subj', '/CN=canary-promoter-sandbox-ca']);
    signed(dir, 'serving', '/CN=kube-apiserver', [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
    ].join('\n'));
    signed(dir, 'admin', '/O=system:masters/CN=sandbox-admin', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    openssl(dir, ['genrsa', '-out', 'sa.key', '2048']);
    openssl(dir, ['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  }
  return {
    caCert: p('ca.crt'), servingCert: p('serving.crt'), servingKey: p('serving.key'),
    adminCert: p('admin.crt'), adminKey: p('admin.key'), serviceAccountKey: p('sa.key'), serviceAccountPub: p('sa.pub'),
  };
}

export function writeKubeconfig(file: string, server: string, certs: ClusterCerts): void {
  fs.writeFileSync(file, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sandbox',
    `  cluster: { server: "${server}", certificate-authority: "${certs.caCert}" }`,
    'users:',
    '- name: sandbox-admin',
    `  user: { client-certificate: "${certs.adminCert}", client-key: "${certs.adminKey}" }`,
    'contexts:',
    '- name: sandbox',
    '  context: { cluster: sandbox, user: sandbox-admin }',
    'current-context: sandbox',
    '',
  ].join('\n'));
}
