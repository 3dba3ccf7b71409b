// Types for the test side of the Worker: `env` and `exports` of `cloudflare:workers`.
declare namespace Cloudflare {
  interface Env {
    [key: string]: unknown;
  }
  interface GlobalProps {
    mainModule: typeof import('../src/index');
  }
}
