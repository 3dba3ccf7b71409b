import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { MemberClient, QueueCounts } from '../desk.queries';

/** What every signed-in page shows in its header. */
export interface Frame {
  clientId: string;
  role: string;
  clients: MemberClient[];
  counts: QueueCounts;
  formToken: string;
  view: 'replies' | 'escalations' | 'history';
}

/** Fixed notices a redirect may name (`?notice=`): the page never echoes text from the URL. */
export const NOTICES = {
  approved: 'Reply approved.',
  rejected: 'Reply rejected.',
  'bulk-approved': 'Selected replies approved.',
  'bulk-partial': 'Some selected replies were approved; the others had already been handled.',
  assigned: 'Escalation assigned to you.',
  resolved: 'Escalation resolved.',
  dismissed: 'Escalation dismissed.',
  conflict: 'Someone else handled that item first; the queue shows where things stand now.',
  switched: 'Switched client.',
} as const;
export type Notice = keyof typeof NOTICES;

export function Page(props: { title: string; children: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Review desk`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/desk/assets/desk.css" />
        <script src="/desk/assets/desk.js" defer />
      </head>
      <body>{props.children}</body>
      </html>
    </>
  );
}

/** A hidden field carrying the session's form token (every state-changing form has one). */
/**
 * A state-changing form of the desk: it always carries the form token, and the position in the
 * queue (`at`) when given, so the answer can bring the reviewer back to the same place.
 */
export function PostForm(props: { action: string; formToken: string; at?: number | undefined; id?: string; class?: string; approve?: boolean; children: Child }) {
  return (
    <form method="post" action={props.action} id={props.id} class={props.class} data-approve={props.approve || undefined}>
      <input type="hidden" name="_csrf" value={props.formToken} />
      {props.at === undefined ? null : <input type="hidden" name="at" value={String(props.at)} />}
      {props.children}
    </form>
  );
}

/**
 * An action that takes a note (reject with a reason, resolve, dismiss): a disclosure whose form
 * posts the note to `action`. `kind` marks it for the keyboard script (`data-<kind>`).
 */
export function NoteAction(props: {
  kind: string;
  summary: string;
  action: string;
  formToken: string;
  field: { id: string; name: string; label: string; required: boolean; maxlength: number; rows: number };
  submit: string;
  at?: number;
}) {
  const { field } = props;
  return (
    <details {...{ [`data-${props.kind}`]: true }}>
      <summary>{props.summary}</summary>
      <PostForm action={props.action} formToken={props.formToken} at={props.at}>
        <label for={field.id}>{field.label}</label>
        <textarea id={field.id} name={field.name} required={field.required || undefined} maxlength={field.maxlength} rows={field.rows} />
        <button type="submit">{props.submit}</button>
      </PostForm>
    </details>
  );
}

export function Shell(props: { frame: Frame; title: string; notice?: Notice | undefined; children: Child }) {
  const { frame } = props;
  const current = frame.clients.find((c) => c.client_id === frame.clientId);
  const link = (view: Frame['view'], href: string, label: string, count: number) => (
    <a href={href} aria-current={frame.view === view ? 'page' : undefined}>
      {label} <span class="count">{count}</span>
    </a>
  );
  return (
    <Page title={props.title}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="bar">
        <span class="brand">Review desk</span>
        <nav aria-label="Queues">
          {link('replies', '/desk', 'Replies', frame.counts.pending_replies)}
          {link('escalations', '/desk/escalations', 'Escalations', frame.counts.open_escalations)}
        </nav>
        <PostForm action="/desk/client" class="switcher" formToken={frame.formToken}>
          <label for="client">Client</label>
          <select id="client" name="client_id">
            {frame.clients.map((c) => (
              <option value={c.client_id} selected={c.client_id === frame.clientId}>
                {`${c.name} (${c.role})`}
              </option>
            ))}
          </select>
          <button type="submit">Switch</button>
        </PostForm>
        <span class="who">{current ? `${current.name} · ${frame.role}` : frame.role}</span>
        <PostForm action="/desk/sign-out" formToken={frame.formToken}>
          <button type="submit" class="link">
            Sign out
          </button>
        </PostForm>
      </header>
      <main id="main">
        {props.notice ? (
          <p class="notice" role="status">
            {NOTICES[props.notice]}
          </p>
        ) : null}
        {props.children}
      </main>
    </Page>
  );
}

/** A refusal or failure as a page: 401 sign in again, 403 not allowed, 404 not found, 503 try later. */
export function ProblemPage(props: { status: number; title: string; detail: string; signIn?: boolean }) {
  return (
    <Page title={props.title}>
      <main id="main" class="problem">
        <h1>{props.title}</h1>
        <p>{props.detail}</p>
        <p>
          {props.signIn ? <a href="/desk/sign-in">Sign in</a> : <a href="/desk">Back to the reply queue</a>}
        </p>
        <p class="status">{`HTTP ${props.status}`}</p>
      </main>
    </Page>
  );
}

/** `2026-11-30 14:05 UTC` in a `<time>` element. */
export function When(props: { at: string | Date }) {
  const date = new Date(props.at);
  return <time datetime={date.toISOString()}>{`${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`}</time>;
}

/** Where a post can be seen on its platform, from its id and author. */
export function postUrl(platform: string, handle: string, platformPostId: string): string | null {
  const id = encodeURIComponent(platformPostId);
  const who = encodeURIComponent(handle);
  if (platform === 'twitter') return `https://x.com/${who}/status/${id}`;
  if (platform === 'reddit') return `https://www.reddit.com/comments/${id}`;
  if (platform === 'threads') return `https://www.threads.net/@${who}/post/${id}`;
  return null;
}
