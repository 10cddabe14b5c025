/** A stand-in for a customer's website: the widget arrives by the one script tag site owners paste. */
export function demoPage(widgetToken: string): string {
  const token = widgetToken.replace(/[^\w-]/g, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outdoor — demo shop</title>
<style>
  body { font-family: Georgia, serif; margin: 0; color: #2b2b2b; background: #faf7f2; }
  header { background: #2f4f3f; color: #fff; padding: 1.5rem 2rem; }
  main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; }
  /* A host page's aggressive styles must not change the widget (shadow DOM). */
  button, textarea, div { font-size: 22px !important; }
</style>
</head>
<body>
<header><h1>Acme Outdoor</h1><p>Tents, packs and good advice since 1999.</p></header>
<main>
  <h2>Welcome to the demo shop</h2>
  <p>This page stands in for your company's website. The chat button in the corner is the
  Switchboard widget, added with one script tag. Write something: it arrives live in the agent
  console, and the agent's answer appears here.</p>
</main>
<script src="/widget.js" data-inbox-token="${token}" async></script>
</body>
</html>`;
}
