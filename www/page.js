// The demo page (index.html): open what the address names once the element is ready —
// `?scenario=NAME` (a built-in story) and `#<fragment>` (a share link) — and again when
// the fragment changes (a share link pasted into this tab).
import { openFromLocation } from './share.js';

const el = document.querySelector('paxos-scope');
if (el) {
  customElements.whenDefined('paxos-scope')
    .then(() => el.ready)
    .then(() => {
      openFromLocation(el, location);
      addEventListener('hashchange', () => {
        if (location.hash.length > 1) openFromLocation(el, { search: '', hash: location.hash });
      });
    }, () => { /* the element shows why it could not start */ });
}
