// Image references and the production image derived from a candidate: the zai-proxy checklist
// promotes `X.Y.Z-canary` as `X.Y.Z`. The derivation is strict on purpose: a tag with nothing
// recognisable to strip is an error, never a silent "promote the canary tag to production".

export interface ImageRef {
  /** registry host (with port) and repository path, e.g. `registry.local:5000/team/app` */
  name: string;
  tag?: string;
  /** `algorithm:hex` */
  digest?: string;
}

export class ImageError extends Error {
  override readonly name = 'ImageError';
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Pre-release suffixes that mark a candidate build: `-canary`, `-rc.2`, `-rc2`, `-test`, `-beta.1`… */
const CANDIDATE_SUFFIX = /^(.+?)-(canary|rc|test|beta|alpha|pre|preview)(?:[.-]?\d+)?$/i;

/**
 * Splits an image reference; the tag is the part after the last `:` that follows the last `/`,
 * so a registry port (`host:5000/app`) is never mistaken for a tag.
 * @throws ImageError saying which part is malformed
 */
export function parseImageRef(reference: string): ImageRef {
  if (reference === '' || /\s/.test(reference)) {
    throw new ImageError(`"${reference}" is not an image reference (expected e.g. registry.local/app:1.2.3)`);
  }
  const at = reference.indexOf('@');
  const withoutDigest = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon < 0 ? undefined : withoutDigest.slice(colon + 1);

  const parts = name.split('/');
  const hasDomain = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  if (hasDomain && !DOMAIN.test(parts[0]!)) throw new ImageError(`"${reference}": bad registry host "${parts[0]}"`);
  for (const part of hasDomain ? parts.slice(1) : parts) {
    if (!PATH_COMPONENT.test(part)) {
      throw new ImageError(`"${reference}": bad repository component "${part}" (lowercase letters, digits, '.', '_' or '-')`);
    }
  }
  if (tag !== undefined && !TAG.test(tag)) {
    throw new ImageError(`"${reference}": bad tag "${tag}" (letters, digits, '_', '.' or '-', at most 128, not starting with '.' or '-')`);
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw new ImageError(`"${reference}": bad digest "${digest}" (expected algorithm:hex, e.g. sha256:…)`);
  }
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * The production image for a candidate: `repo/x:1.2.1-canary` → `repo/x:1.2.1`,
 * `host:5000/x:2.0.0-rc.3` → `host:5000/x:2.0.0`.
 * @throws ImageError for digests (a digest names exact bytes; there is no "release" digest to
 *   derive) and for tags without a candidate suffix
 */
export function deriveProductionImage(candidate: string): string {
  const ref = parseImageRef(candidate);
  if (ref.digest !== undefined) {
    throw new ImageError(`cannot derive a production image from the digest reference "${candidate}"; set productionImage`);
  }
  if (ref.tag === undefined) {
    throw new ImageError(`cannot derive a production image from "${candidate}": it has no tag; set productionImage`);
  }
  const match = CANDIDATE_SUFFIX.exec(ref.tag);
  if (!match || !TAG.test(match[1]!)) {
    throw new ImageError(
      `cannot derive a production image from "${candidate}": tag "${ref.tag}" has no candidate suffix ` +
        '(-canary, -rc.N, -test, -beta.N, -alpha.N, -pre, -preview) to strip; set productionImage',
    );
  }
  return formatImageRef({ name: ref.name, tag: match[1] });
}
