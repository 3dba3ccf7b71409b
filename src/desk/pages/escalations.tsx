import type { EscalationItem } from '../desk.queries';
import { NoteAction, PostForm, postUrl, Shell, When, type Frame, type Notice } from './layout';

/** `legal_risk` → `legal risk`. */
const label = (value: string) => value.replaceAll('_', ' ');

function Escalation(props: { item: EscalationItem; canWrite: boolean; formToken: string; userId: string; index: number }) {
  const { item, canWrite, formToken, userId, index } = props;
  const heading = `escalation-${item.id}-title`;
  const url = postUrl(item.platform, item.handle, item.platform_post_id);
  return (
    <li class="item" id={`escalation-${item.id}`} tabindex={-1} data-index={index} aria-labelledby={heading}>
      <div class="post">
        <h2 id={heading}>
          <span class={`priority priority-${item.priority}`}>{item.priority}</span> {label(item.reason)}
        </h2>
        <p class="author">{`@${item.handle} on ${item.platform} · ${item.follower_count} followers`}</p>
        <blockquote>{item.post_content}</blockquote>
        <p class="meta">
          Escalated <When at={item.created_at} />
          {' · '}
          {item.status === 'assigned' ? `assigned to ${item.assigned_to === userId ? 'you' : (item.assignee_name ?? 'a member')}` : 'unassigned'}
          {url ? (
            <>
              {' · '}
              <a href={url} rel="noopener noreferrer" target="_blank">
                View post<span class="visually-hidden">{` by @${item.handle}`}</span>
              </a>
            </>
          ) : null}
          {item.reply_id ? (
            <>
              {' · '}
              <a href={`/desk/replies/${item.reply_id}`}>Reply history</a>
            </>
          ) : null}
        </p>
      </div>
      <div class="actions">
        {canWrite ? (
          <>
            {item.assigned_to === userId ? null : (
              <PostForm action={`/desk/escalations/${item.id}/assign`} formToken={formToken}>
                <button type="submit">
                  Assign to me<span class="visually-hidden">{`: ${label(item.reason)} from @${item.handle}`}</span>
                </button>
              </PostForm>
            )}
            <NoteAction
              kind="resolve"
              summary="Resolve"
              action={`/desk/escalations/${item.id}/resolve`}
              formToken={formToken}
              field={{ id: `notes-${item.id}`, name: 'notes', label: 'Resolution notes', required: true, maxlength: 5000, rows: 3 }}
              submit="Resolve escalation"
            />
            <NoteAction
              kind="dismiss"
              summary="Dismiss"
              action={`/desk/escalations/${item.id}/dismiss`}
              formToken={formToken}
              field={{ id: `dismiss-${item.id}`, name: 'notes', label: 'Why (optional)', required: false, maxlength: 5000, rows: 2 }}
              submit="Dismiss escalation"
            />
          </>
        ) : (
          <p class="readonly">You can read this queue; working escalations needs the editor role.</p>
        )}
      </div>
    </li>
  );
}

export function EscalationsPage(props: { frame: Frame; items: EscalationItem[]; canWrite: boolean; userId: string; notice?: Notice | undefined }) {
  const { frame, items } = props;
  return (
    <Shell frame={frame} title="Escalations" notice={props.notice}>
      <div class="heading">
        <h1>Escalations</h1>
        <p>{`${frame.counts.open_escalations} open or assigned, most urgent first, then oldest first.`}</p>
      </div>
      {items.length ? (
        <ol class="queue">
          {items.map((item, index) => (
            <Escalation item={item} canWrite={props.canWrite} formToken={frame.formToken} userId={props.userId} index={index} />
          ))}
        </ol>
      ) : (
        <p class="empty">No open escalations.</p>
      )}
    </Shell>
  );
}
