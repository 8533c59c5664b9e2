// The embedding guide's worked example (embed.html#prose): prose with buttons that drive a
// widget through its methods. A module file, not an inline script: the guide keeps to the
// strict Content-Security-Policy it documents.
const el = document.getElementById('worked');
const buttons = document.querySelectorAll('[data-do]');
const outcome = document.querySelector('[data-out=worked]');

function atStep7() {
  el.pause();
  el.seek(7); // the story's step 7: node 1 has sent Accept 42.1 Green to nodes 1, 2 and 3
  outcome.textContent = '';
}

const actions = {
  'drop-accept': () => {
    const accept = el.snapshot().messages.find((m) => m.kind === 'Accept' && m.to === 2);
    if (accept) el.drop(accept.id);
    else outcome.textContent = 'There is no Accept to node 2 in flight now.';
  },
  play: () => el.play(),
  again: atStep7,
};

el.addEventListener('paxos-chosen', (e) => {
  outcome.textContent = `${e.detail.value} is chosen at step ${e.detail.step}.`;
});

el.ready.then(() => {
  atStep7();
  for (const b of buttons) {
    b.disabled = false;
    b.addEventListener('click', () => {
      try {
        actions[b.dataset.do]();
      } catch { /* the widget shows the message itself */ }
    });
  }
}, () => { /* the widget says why it could not start */ });
