/** The account chooser Google shows at consent, reduced to links a browser test can click. */
export function consentPage(sessionId: string, clientId: string, emails: string[]): string {
  const approve = (extra: string) =>
    `/o/oauth2/approve?session=${encodeURIComponent(sessionId)}&${extra}`;
  const items = emails
    .map(
      (email) =>
        `<li><a data-email="${escapeHtml(email)}" href="${escapeHtml(
          approve(`email=${encodeURIComponent(email)}`),
        )}">Continue as ${escapeHtml(email)}</a></li>`,
    )
    .join('\n');
  return page(
    'Sign in - Google Accounts',
    `<h1>Choose an account</h1>
<p>to continue to <span id="client-id">${escapeHtml(clientId)}</span></p>
<ul id="accounts">
${items || '<li id="no-accounts">No accounts are registered with the fake Google.</li>'}
</ul>
<p><a data-action="deny" href="${escapeHtml(approve('deny=1'))}">Cancel</a></p>`,
  );
}

export function consentErrorPage(message: string): string {
  return page(
    'Error 400: invalid_request',
    `<h1>Access blocked: authorization error</h1>
<p id="error">Error 400: invalid_request</p>
<p id="error-message">${escapeHtml(message)}</p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
${body}
</body></html>`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
