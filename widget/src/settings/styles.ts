/** The settings page's CSS on top of the panel's (ui/styles.ts), also scoped under `.lfk`. */
import { ensureStyles } from '../ui/styles';

const STYLE_ID = 'lfk-settings-styles';

const CSS = `
.lfk-settings{max-width:960px;padding:16px 24px 40px}
.lfk-h1{font-size:20px;font-weight:400;margin:0 0 16px}
.lfk-h2{font-size:16px;font-weight:700;margin:0 0 12px}
.lfk-h3{font-size:14px;font-weight:700;margin:16px 0 8px}
.lfk-section{border-top:1px solid #e8eaeb;padding:16px 0}
.lfk-field{margin:0 0 12px}
.lfk-field-error{color:#d9534f;font-size:12px;margin-top:3px}
.lfk-input[aria-invalid=true]{border-color:#d9534f}
.lfk select.lfk-input{background:#fff}
.lfk-multi{height:auto;padding:4px}
.lfk-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:0 16px;align-items:start}
.lfk-rule{border:1px solid #e8eaeb;border-radius:3px;padding:8px 12px 12px;margin:0 0 12px}
.lfk-rule legend{color:#92989b;padding:0 4px}
.lfk-tag-row{grid-template-columns:1fr 1fr auto;align-items:center}
.lfk-plain{border:0;margin:0;padding:0;min-width:0}
.lfk-radios{border:0;margin:0 0 12px;padding:0}
.lfk-check{display:flex;align-items:center;gap:6px;margin:4px 0;cursor:pointer}
.lfk-table{width:100%;border-collapse:collapse}
.lfk-table th{text-align:left;color:#92989b;font-weight:400;padding:4px 8px}
.lfk-table td{padding:6px 8px;border-top:1px solid #e8eaeb;vertical-align:top}
.lfk-unmatched td{background:#fff8e6}
.lfk-warn-text{color:#c77c02}
.lfk-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.lfk-pre{white-space:pre-wrap;word-break:break-word;background:#f5f5f5;padding:8px;border-radius:3px;font:12px/1.4 monospace;max-height:320px;overflow:auto}
.lfk-warnings{padding-left:24px}
.lfk-code{font-family:monospace}
.lfk-inline-form{align-items:flex-end}
.lfk-inline-form .lfk-field{margin:0}
.lfk-savebar{position:sticky;bottom:0;background:#fff;padding:12px 0;border-top:1px solid #e8eaeb;z-index:1}
.lfk-btn-link{display:inline-flex;align-items:center}
.lfk-btn-link:hover{text-decoration:none}
.lfk-checklist .lfk-check-item{display:flex;gap:8px;align-items:baseline}
.lfk-ok{color:#2e8540;font-weight:bold}
.lfk-todo{color:#c77c02}
`;

export function ensureSettingsStyles(doc: Document): void {
  ensureStyles(doc);
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
