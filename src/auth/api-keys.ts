/** API keys: `eda_` + 32 random bytes (base64url). Only the SHA-256 (hex) is stored. */
const KEY_PREFIX = 'eda_';
const DISPLAY_PREFIX_LENGTH = 12;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function generateApiKey(): Promise<{ key: string; prefix: string; hash: string }> {
  const key = KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: await hashApiKey(key) };
}

/** Shape check before any hashing or database work. */
export const API_KEY_PATTERN = /^eda_[A-Za-z0-9_-]{43}$/;
