/** The page at `/` until the web app lands: says honestly what is available and how to use it. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Matterflow</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<h1>Matterflow</h1>
<p>Billing workflow for law firms. The web screens are not built yet; the HTTP API is.</p>
<ul>
<li>API description (OpenAPI 3.1): <a href="/api/openapi.json">/api/openapi.json</a></li>
<li>Sign in: <code>POST /api/v1/auth/sign-in</code> with <code>{"email","password"}</code>; the session cookie then works for every <code>/api/v1</code> route.</li>
<li>Or create an API token (<code>POST /api/v1/api-tokens</code>) and send <code>Authorization: Bearer &lt;token&gt;</code>.</li>
<li>Resources: clients, matters, timekeepers, rates, matter timekeepers, time entries, expenses, users.</li>
</ul>
<p>The command line (<code>npx matterflow --help</code>) imports and exports every resource as CSV.</p>
</body>
</html>`;
}
