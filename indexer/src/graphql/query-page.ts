// A self-contained query page for browsers (the machine is offline, so no CDN-hosted GraphiQL):
// an editor, a Run button (Ctrl-Enter) and the JSON answer.
export function queryPage(name: string): string {
  const title = name.replace(/[<>&"]/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · GraphQL</title>
<style>body{font:14px system-ui;margin:0;display:grid;grid-template-rows:auto 1fr;height:100vh}
header{padding:8px 12px;background:#1e293b;color:#f8fafc}main{display:grid;grid-template-columns:1fr 1fr;min-height:0}
textarea,pre{margin:0;padding:12px;font:13px ui-monospace,monospace;border:0;overflow:auto}pre{background:#f1f5f9}
button{margin-left:12px}</style></head><body><header>${title} <button id="run">Run (Ctrl-Enter)</button></header>
<main><textarea id="q" aria-label="GraphQL query">{
  _meta { block { number hash timestamp } deployment hasIndexingErrors }
}</textarea><pre id="out" aria-live="polite"></pre></main>
<script>const q=document.getElementById('q'),out=document.getElementById('out');
async function run(){const r=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({query:q.value})});out.textContent=JSON.stringify(await r.json(),null,2)}
document.getElementById('run').onclick=run;q.onkeydown=e=>{if(e.ctrlKey&&e.key==='Enter')run()};</script></body></html>`;
}
