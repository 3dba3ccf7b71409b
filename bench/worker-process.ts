import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BENCH_DATABASE_URL, BENCH_JWT_SECRET } from './workerd';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WorkerProcess {
  url: string;
  stop(): Promise<void>;
}

/** Runs the Worker with `wrangler dev` (workerd) against the given SQL endpoint, as `npm run dev` does. */
export async function startWorker(sqlEndpoint: string): Promise<WorkerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'wrangler',
    [
      'dev',
      '--ip', '127.0.0.1',
      '--port', String(port),
      '--inspector-port', String(await freePort()),
      '--show-interactive-dev-session=false',
      '--var', `NEON_FETCH_ENDPOINT:${sqlEndpoint}`,
      '--var', 'ENVIRONMENT:development',
      '--var', `DATABASE_URL:${BENCH_DATABASE_URL}`,
      '--var', 'LOG_LEVEL:warn',
      '--var', `JWT_SECRET:${BENCH_JWT_SECRET}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (Date.now() >= deadline) throw new Error(`wrangler dev did not become healthy:\n${output}`);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
