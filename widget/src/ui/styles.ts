/**
 * The panel's CSS, scoped under `.lfk`, injected once per document as a <style> element so the
 * bundle stays a single script. Colours, font and spacing follow Kommo's card sidebar.
 */
export const STYLE_ID = 'lfk-styles';

const CSS = `
.lfk{font:13px/1.4 "PT Sans",Arial,sans-serif;color:#313942;padding:4px 0}
.lfk *{box-sizing:border-box}
.lfk a{color:#1375ab;text-decoration:none}
.lfk a:hover{text-decoration:underline}
.lfk-list{list-style:none;margin:0;padding:0}
.lfk-item{padding:10px 0;border-bottom:1px solid #e8eaeb}
.lfk-item:first-child{padding-top:0}
.lfk-trigger{margin:4px 0 0;color:#92989b;font-size:12px}
.lfk-head{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
.lfk-id{font-weight:700}
.lfk-title{margin:4px 0 6px;word-break:break-word}
.lfk-badge{display:inline-flex;align-items:center;gap:5px;padding:1px 8px;border-radius:10px;background:#f1f2f3;font-size:12px}
.lfk-dot{width:8px;height:8px;border-radius:50%;flex:none}
.lfk-meta{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}
.lfk-meta dt{color:#92989b}
.lfk-meta dd{margin:0;display:flex;align-items:center;gap:6px}
.lfk-avatar{width:18px;height:18px;border-radius:50%;background:#5e6ad2;color:#fff;font-size:10px;display:inline-flex;align-items:center;justify-content:center;object-fit:cover}
.lfk-late{color:#d9534f}
.lfk-comment{margin:6px 0;padding:4px 8px;border-left:2px solid #e8eaeb}
.lfk-comment-text{white-space:pre-line;word-break:break-word;max-height:5.6em;overflow:hidden}
.lfk-muted{color:#92989b;font-size:12px}
.lfk-row{display:flex;gap:8px;flex-wrap:wrap;margin-top:8px;align-items:center}
.lfk-btn{font:inherit;height:30px;padding:0 12px;border-radius:3px;border:1px solid #c3c6c8;background:#fff;color:#313942;cursor:pointer}
.lfk-btn:hover{border-color:#92989b}
.lfk-btn:focus-visible,.lfk a:focus-visible,.lfk-input:focus{outline:2px solid #4c8bf7;outline-offset:1px}
.lfk-btn[disabled]{opacity:.6;cursor:default}
.lfk-primary{background:#4c8bf7;border-color:#4c8bf7;color:#fff}
.lfk-primary:hover{background:#3d7ae6;border-color:#3d7ae6}
.lfk-link{border:0;background:none;padding:0;height:auto;color:#1375ab}
.lfk-danger{color:#d9534f}
.lfk-input{font:inherit;width:100%;height:32px;padding:0 8px;border:1px solid #c3c6c8;border-radius:3px}
.lfk-label{display:block;color:#92989b;margin-bottom:4px}
.lfk-results{list-style:none;margin:6px 0 0;padding:0;max-height:220px;overflow:auto}
.lfk-results button{font:inherit;text-align:left;width:100%;border:0;background:none;padding:6px 4px;cursor:pointer;color:#313942;border-radius:3px}
.lfk-results button:hover,.lfk-results button:focus-visible{background:#f1f5fe}
.lfk-notice{padding:8px 10px;border-radius:3px;background:#f5f5f5;margin:0 0 8px}
.lfk-notice.lfk-warning{background:#fff8e6}
.lfk-notice.lfk-error{background:#fdecec;color:#a94442}
.lfk-progress{display:flex;align-items:center;gap:6px}
.lfk-spin{width:12px;height:12px;border:2px solid #c3c6c8;border-top-color:#4c8bf7;border-radius:50%;animation:lfk-spin 1s linear infinite}
@keyframes lfk-spin{to{transform:rotate(360deg)}}
`;

/** Adds the stylesheet to `doc` unless it is already there. */
export function ensureStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
