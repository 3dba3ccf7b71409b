import type { QueueItem } from '../desk.queries';
import { NoteAction, PostForm, postUrl, Shell, When, type Frame, type Notice } from './layout';

/** An edit that was refused, shown again beside its text. */
export interface RefusedEdit {
  id: string;
  content: string;
  errors: string[];
}

const score = (value: number) => value.toFixed(2);
const followers = new Intl.NumberFormat('en-US');

function BrandChecks(props: { item: QueueItem }) {
  const { item } = props;
  if (!item.kit_found || item.signature === null) {
    return <p class="check bad">No default brand kit with a reply signature: this reply cannot be checked.</p>;
  }
  return (
    <ul class="checks" aria-label="Brand checks">
      <li class={item.signed ? 'check ok' : 'check bad'}>
        {item.signed ? 'Carries the signature ' : 'Missing the signature '}
        <q>{item.signature}</q>
      </li>
      <li class={item.violations.length ? 'check bad' : 'check ok'}>
        {item.violations.length ? `Prohibited claims: ${item.violations.join(', ')}` : 'No prohibited claims'}
      </li>
    </ul>
  );
}

function Item(props: { item: QueueItem; index: number; canWrite: boolean; formToken: string; edit?: RefusedEdit | undefined }) {
  const { item, index, canWrite, formToken, edit } = props;
  const heading = `reply-${item.id}-title`;
  const url = postUrl(item.platform, item.handle, item.platform_post_id);
  const errorsId = `reply-${item.id}-errors`;
  return (
    <li class="item" id={`reply-${item.id}`} tabindex={-1} data-index={index} aria-labelledby={heading}>
      <div class="post">
        <h2 id={heading}>
          {`@${item.handle}`} <span class="platform">{`on ${item.platform}`}</span>
        </h2>
        <p class="author">
          {item.author_name ? `${item.author_name} · ` : ''}
          {`${followers.format(item.follower_count)} followers`}
          {item.power_tier ? ` · ${item.power_tier} power tier` : ''}
          {item.is_verified ? ' · verified' : ''}
          {` · relationship ${score(item.relationship_score)}`}
        </p>
        <blockquote>{item.post_content}</blockquote>
        <p class="meta">
          Detected <When at={item.detected_at} />
          {url ? (
            <>
              {' · '}
              <a href={url} rel="noopener noreferrer" target="_blank">
                View post<span class="visually-hidden">{` by @${item.handle} on ${item.platform}`}</span>
              </a>
            </>
          ) : null}
        </p>
      </div>
      <div class="reply">
        <h3>Drafted reply</h3>
        <p class="reply-text">{item.content}</p>
        <dl class="scores">
          {(
            [
              ['Mode', item.mode],
              ['Composite', score(item.composite_score)],
              ['SSS', score(item.sss_score)],
              ['ARS', score(item.ars_score)],
              ['EVS', score(item.evs_score)],
              ['TRS', score(item.trs_score)],
            ] as const
          ).map(([name, value]) => (
            <div>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {item.safety_flags.length ? <p class="check bad">{`Safety flags: ${item.safety_flags.join(', ')}`}</p> : null}
        <BrandChecks item={item} />
        <div class="actions">
          {canWrite ? (
            <>
              <label class="select">
                <input type="checkbox" name="ids" value={item.id} form="bulk" data-select />
                Select
                <span class="visually-hidden">{` the reply to @${item.handle}`}</span>
              </label>
              <PostForm action={`/desk/replies/${item.id}/approve`} formToken={formToken} at={index} approve>
                <button type="submit">
                  Approve<span class="visually-hidden">{` the reply to @${item.handle}`}</span>
                </button>
              </PostForm>
              <NoteAction
                kind="reject"
                summary="Reject"
                action={`/desk/replies/${item.id}/reject`}
                formToken={formToken}
                at={index}
                field={{ id: `reason-${item.id}`, name: 'reason', label: 'Reason for rejecting', required: true, maxlength: 1000, rows: 2 }}
                submit="Reject reply"
              />
              <details data-edit open={edit ? true : undefined}>
                <summary>Edit</summary>
                <PostForm action={`/desk/replies/${item.id}/approve`} formToken={formToken} at={index}>
                  <label for={`content-${item.id}`}>Reply text</label>
                  <textarea
                    id={`content-${item.id}`}
                    name="content"
                    required
                    minlength={10}
                    maxlength={1000}
                    rows={4}
                    aria-invalid={edit ? 'true' : undefined}
                    aria-describedby={edit ? errorsId : undefined}
                    autofocus={edit ? true : undefined}
                  >
                    {edit ? edit.content : item.content}
                  </textarea>
                  {edit ? (
                    <div class="errors" id={errorsId} role="alert">
                      <ul>
                        {edit.errors.map((error) => (
                          <li>{error}</li>
                        ))}
                      </ul>
                    </div>
                  ) : null}
                  <button type="submit">Save and approve</button>
                </PostForm>
              </details>
            </>
          ) : (
            <p class="readonly">You can read this queue; approving needs the editor role.</p>
          )}
          <a href={`/desk/replies/${item.id}`}>
            History<span class="visually-hidden">{` of the reply to @${item.handle}`}</span>
          </a>
        </div>
      </div>
    </li>
  );
}

export function QueuePage(props: {
  frame: Frame;
  items: QueueItem[];
  canWrite: boolean;
  notice?: Notice | undefined;
  edit?: RefusedEdit | undefined;
}) {
  const { frame, items, canWrite } = props;
  return (
    <Shell frame={frame} title="Reply queue" notice={props.notice}>
      <div class="heading">
        <h1>Reply queue</h1>
        <p>
          {`${frame.counts.pending_replies} pending, oldest first.`}
          {items.length < frame.counts.pending_replies ? ` Showing the first ${items.length}.` : ''}
        </p>
        {canWrite && items.length ? (
          <p class="keys" id="keys">
            Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> reject, <kbd>e</kbd> edit, <kbd>x</kbd> select,{' '}
            <kbd>A</kbd> approve selected.
          </p>
        ) : null}
        {canWrite && items.length ? (
          <PostForm action="/desk/replies/approve" id="bulk" class="bulk" formToken={frame.formToken}>
            <button type="submit">Approve selected</button>
          </PostForm>
        ) : null}
      </div>
      {items.length ? (
        <ol class="queue">
          {items.map((item, index) => (
            <Item item={item} index={index} canWrite={canWrite} formToken={frame.formToken} edit={props.edit?.id === item.id ? props.edit : undefined} />
          ))}
        </ol>
      ) : (
        <p class="empty">The queue is clear: no reply is waiting for approval.</p>
      )}
    </Shell>
  );
}
