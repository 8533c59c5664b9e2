// The iframe page, for sites that allow no scripts of their own:
//   <iframe src="paxoscope/frame.html?scenario=proposer-fails-during-accept&controls=compact"
//           title="Paxoscope" loading="lazy" width="100%" height="480"></iframe>
// Every query parameter named like an attribute of <paxos-scope> becomes that attribute of the
// one element that fills the frame (`?autoplay` alone sets a boolean attribute).
import { PaxosScope } from './paxoscope.js';

const page = new CSSStyleSheet();
page.replaceSync('html, body { margin: 0; height: 100%; } paxos-scope { border: 0; border-radius: 0; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];

const el = /** @type {import('./paxos-scope').PaxosScope} */ (document.querySelector('paxos-scope'));
el.setAttribute('height', '100%'); // fill the frame (a ?height= parameter overrides it)
const known = PaxosScope.observedAttributes;
for (const [name, value] of new URLSearchParams(location.search)) {
  if (known.includes(name)) el.setAttribute(name, value);
  else console.warn(`frame.html: unknown parameter ${JSON.stringify(name)} ignored; known: ${known.join(', ')}`);
}
