import { constantTimeEqual, hmac } from '../lib/crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) with WebCrypto, and the endpoints' secrets.
 *
 * No endpoint secret is stored anywhere: the secret of version `v` of an endpoint is
 * HMAC-SHA256(WEBHOOK_SIGNING_KEY, "whsec|<client id>|<endpoint id>|<v>"). The endpoint's URL
 * names the client, the endpoint and the version it was issued with (its hook id), so the Worker
 * can derive the secret and check a delivery's signature before any database work; the delivery's
 * one database round trip then confirms that the endpoint is active and the version still valid.
 */

const encoder = new TextEncoder();

/** What a hook id names: the client, the endpoint, and the secret version the URL was issued with. */
export interface HookAddress {
  clientId: string;
  endpointId: string;
  version: number;
}

/** A signature's timestamp may be this far from the Worker's clock, either way (the spec's 5 minutes). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;
/** Most signatures of one `webhook-signature` header the Worker looks at. */
const MAX_SIGNATURES = 8;
export const MAX_WEBHOOK_ID_LENGTH = 255;

const HOOK_ID = /^[A-Za-z0-9_-]{48}$/;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

const uuidBytes = (uuid: string) => Uint8Array.from(uuid.replaceAll('-', '').match(/../g)!, (hex) => parseInt(hex, 16));

function uuidOf(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The hook id of an endpoint's URL: base64url of client id ‖ endpoint id ‖ version (32-bit, big-endian). */
export function hookId(address: HookAddress): string {
  const bytes = new Uint8Array(36);
  bytes.set(uuidBytes(address.clientId), 0);
  bytes.set(uuidBytes(address.endpointId), 16);
  new DataView(bytes.buffer).setUint32(32, address.version);
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_');
}

/** The address a hook id names, or null for anything that is not a hook id. */
export function parseHookId(id: string): HookAddress | null {
  if (!HOOK_ID.test(id)) return null;
  const bytes = fromBase64(id.replaceAll('-', '+').replaceAll('_', '/'));
  if (!bytes || bytes.length !== 36) return null;
  const version = new DataView(bytes.buffer).getUint32(32);
  if (version < 1 || version > 2_147_483_647) return null;
  return { clientId: uuidOf(bytes.subarray(0, 16)), endpointId: uuidOf(bytes.subarray(16, 32)), version };
}

/** The 32 secret bytes of one version of an endpoint. */
export function endpointSecret(signingKey: string, address: HookAddress): Promise<Uint8Array> {
  return hmac(signingKey, `whsec|${address.clientId}|${address.endpointId}|${address.version}`);
}

/** The secret as senders configure it: `whsec_` and the base64 of its bytes (the spec's format). */
export const formatSecret = (bytes: Uint8Array) => `whsec_${toBase64(bytes)}`;

export type SignatureFailure = 'missing' | 'malformed' | 'timestamp' | 'mismatch';

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * The Standard Webhooks headers, checked before the body is read: present, well-formed, and a
 * timestamp within the tolerance of `nowSeconds`. Returns the failure, or null.
 */
export function checkHeaders(headers: SignedHeaders, nowSeconds: number): SignatureFailure | null {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing';
  if (id.length > MAX_WEBHOOK_ID_LENGTH || !/^[\x21-\x7e]+$/.test(id) || signature.length > 4096) return 'malformed';
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return 'timestamp';
  return null;
}

/**
 * Which of `secrets` signed `id.timestamp.body`: the index of the first whose `v1` HMAC-SHA256
 * equals one of the header's space-separated signatures (compared in constant time), or -1.
 * Secrets are made and tried in order, so the usual delivery (signed with the first) costs one
 * derivation and one HMAC of the body. Signatures of other schemes (`v1a`, …) are ignored, as the
 * spec says.
 */
export async function matchingSecret(
  headers: { id: string; timestamp: string; signature: string },
  body: Uint8Array,
  secrets: readonly (() => Promise<Uint8Array>)[],
): Promise<number> {
  const given = headers.signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .slice(0, MAX_SIGNATURES)
    .map((part) => fromBase64(part.slice(3)))
    .filter((bytes): bytes is Uint8Array => bytes !== null);
  if (given.length === 0) return -1;
  const prefix = encoder.encode(`${headers.id}.${headers.timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix, 0);
  content.set(body, prefix.length);
  for (const [index, secret] of secrets.entries()) {
    const mac = await hmac(await secret(), content);
    // Every signature is compared; which secret matched is no secret (the sender chose it).
    if (given.map((signature) => constantTimeEqual(mac, signature)).includes(true)) return index;
  }
  return -1;
}

/** A Standard Webhooks signature header for `body` (senders' side: the tests, the bench, the README). */
export async function sign(secret: Uint8Array, id: string, timestamp: number, body: string): Promise<string> {
  return `v1,${toBase64(await hmac(secret, `${id}.${timestamp}.${body}`))}`;
}

/** The secret bytes of a `whsec_…` string. */
export function parseSecret(secret: string): Uint8Array {
  const bytes = fromBase64(secret.replace(/^whsec_/, ''));
  if (!bytes) throw new Error('not a whsec_ secret');
  return bytes;
}
