import type { HistoryEntry, ReplyDetail } from '../desk.queries';
import { Shell, When, type Frame } from './layout';

const value = (details: Record<string, unknown>, column: string, side: 'old' | 'new'): unknown =>
  (details[column] as { old?: unknown; new?: unknown } | undefined)?.[side];

/** What an audit entry of a reply means to a reviewer, in words. */
export function describe(entry: HistoryEntry): string[] {
  if (entry.action === 'insert') return ['Drafted the reply'];
  if (entry.action === 'delete') return ['Removed the reply'];
  const lines: string[] = [];
  const status = value(entry.details, 'approval_status', 'new');
  if (entry.changed_columns.includes('content')) lines.push('Edited the text');
  if (status === 'approved') lines.push('Approved the reply');
  if (status === 'rejected') lines.push(`Rejected the reply: ${String(value(entry.details, 'rejection_reason', 'new') ?? '')}`);
  if (status === 'posted') lines.push('Recorded the reply as posted');
  if (entry.changed_columns.includes('deleted_at')) lines.push(`Deleted the reply: ${String(value(entry.details, 'delete_reason', 'new') ?? '')}`);
  if (entry.changed_columns.includes('metrics') && status === undefined) lines.push('Recorded metrics');
  if (!lines.length) lines.push(`Changed ${entry.changed_columns.join(', ')}`);
  return lines;
}

const actor = (entry: HistoryEntry) => entry.actor_name ?? (entry.actor_id ? 'A former member or API key' : 'The platform');

export function HistoryPage(props: { frame: Frame; reply: ReplyDetail; entries: HistoryEntry[] }) {
  const { reply, entries } = props;
  return (
    <Shell frame={props.frame} title="Reply history">
      <div class="heading">
        <h1>Reply history</h1>
        <p>
          {`To @${reply.handle} on ${reply.platform} · now ${reply.deleted_at ? 'deleted' : reply.approval_status}`}
          {reply.rejection_reason ? ` (${reply.rejection_reason})` : ''}
        </p>
      </div>
      <section class="history-reply" aria-labelledby="post-title">
        <h2 id="post-title">The post</h2>
        <blockquote>{reply.post_content}</blockquote>
        <h2>The reply</h2>
        <p class="reply-text">{reply.content}</p>
      </section>
      <section aria-labelledby="trail-title">
        <h2 id="trail-title">Who did what</h2>
        <table class="history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr>
                <td>
                  <When at={entry.created_at} />
                </td>
                <td>{actor(entry)}</td>
                <td>
                  {describe(entry).map((line) => (
                    <div>{line}</div>
                  ))}
                  {entry.action === 'update' && entry.changed_columns.includes('content') ? (
                    <div class="diff">
                      <del>{String(value(entry.details, 'content', 'old') ?? '')}</del>
                      <ins>{String(value(entry.details, 'content', 'new') ?? '')}</ins>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        <a href="/desk">Back to the reply queue</a>
      </p>
    </Shell>
  );
}
