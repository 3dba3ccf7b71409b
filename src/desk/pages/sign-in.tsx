import type { SignInChoice } from '../desk.queries';
import { Page } from './layout';

/** Development sign-in: one button per seeded membership. Never served outside development. */
export function DevSignInPage(props: { choices: SignInChoice[] }) {
  const byClient = new Map<string, SignInChoice[]>();
  for (const choice of props.choices) byClient.set(choice.client_name, [...(byClient.get(choice.client_name) ?? []), choice]);
  return (
    <Page title="Sign in">
      <main id="main" class="sign-in">
        <h1>Sign in to the review desk</h1>
        <p>
          Development sign-in: pick a member of a seeded client. In production the desk signs people in through Cloudflare
          Access instead, and this page does not exist.
        </p>
        {[...byClient].map(([client, choices]) => (
          <section aria-label={client}>
            <h2>{client}</h2>
            <ul class="members">
              {choices.map((choice) => (
                <li>
                  <form method="post" action="/desk/sign-in">
                    <input type="hidden" name="user_id" value={choice.user_id} />
                    <input type="hidden" name="client_id" value={choice.client_id} />
                    <button type="submit">
                      {`${choice.display_name ?? choice.email} (${choice.role})`}
                      <span class="visually-hidden">{` at ${client}`}</span>
                    </button>
                    <span class="email">{choice.email}</span>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
    </Page>
  );
}

/** Outside development: sign-in is Cloudflare Access's, and this says how to reach it. */
export function AccessSignInPage(props: { configured: boolean }) {
  return (
    <Page title="Sign in">
      <main id="main" class="sign-in">
        <h1>Sign in to the review desk</h1>
        {props.configured ? (
          <p>
            The desk signs you in through your organization's Cloudflare Access. Open <a href="/desk">the desk</a> through
            Access to continue; if you keep landing here, your Access session has ended or your email is not a member of
            any client.
          </p>
        ) : (
          <p>Sign-in is not configured for this deployment (Cloudflare Access: ACCESS_TEAM_DOMAIN and ACCESS_AUD).</p>
        )}
      </main>
    </Page>
  );
}
