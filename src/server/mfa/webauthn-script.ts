/**
 * The WebAuthn page's script, served at `/mfa/webauthn.js` (same origin, so a `script-src 'self'` policy allows it).
 * It asks `…/begin` for options, runs `navigator.credentials.create/get`, posts the result to `…/finish` with the
 * page's CSRF token, then follows `redirect`, first showing new backup codes when the answer has them.
 */

export const WEBAUTHN_SCRIPT = `(function () {
  'use strict';
  var root = document.getElementById('webauthn');
  var button = document.getElementById('webauthn-btn');
  var errorBox = document.getElementById('webauthn-error');
  if (!root || !button) return;
  var mode = root.getAttribute('data-mode');
  var csrf = root.getAttribute('data-csrf');
  var base = window.location.pathname + '/' + mode;

  function toBytes(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toText(buf) {
    if (!buf) return undefined;
    var bytes = new Uint8Array(buf), bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function descriptors(list) {
    return (list || []).map(function (c) { return { type: 'public-key', id: toBytes(c.id), transports: c.transports }; });
  }
  function call(step, payload) {
    payload.csrf_token = csrf;
    return fetch(base + '/' + step + window.location.search, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error(j.error || ('Request failed (' + r.status + ')'));
        return j;
      });
    });
  }
  function encode(cred) {
    var r = cred.response, out = { id: cred.id, rawId: toText(cred.rawId), type: cred.type, clientExtensionResults: cred.getClientExtensionResults(), response: {} };
    out.authenticatorAttachment = cred.authenticatorAttachment || undefined;
    out.response.clientDataJSON = toText(r.clientDataJSON);
    if (r.attestationObject) {
      out.response.attestationObject = toText(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toText(r.authenticatorData);
      out.response.signature = toText(r.signature);
      out.response.userHandle = toText(r.userHandle);
    }
    return out;
  }
  function ceremony(o) {
    o.challenge = toBytes(o.challenge);
    if (mode === 'register') {
      o.user.id = toBytes(o.user.id);
      o.excludeCredentials = descriptors(o.excludeCredentials);
      return navigator.credentials.create({ publicKey: o });
    }
    o.allowCredentials = descriptors(o.allowCredentials);
    return navigator.credentials.get({ publicKey: o });
  }
  function showCodes(codes, next) {
    var box = document.getElementById('backup-codes');
    box.innerHTML = '<p>Save these backup codes somewhere safe. Each works once in place of your second factor. They are shown only now.</p>';
    var list = document.createElement('ul');
    list.id = 'new-backup-codes';
    codes.forEach(function (c) { var li = document.createElement('li'), code = document.createElement('code'); code.textContent = c; li.appendChild(code); list.appendChild(li); });
    var go = document.createElement('a');
    go.id = 'continue'; go.className = 'btn btn--primary'; go.href = next; go.textContent = 'Continue';
    box.appendChild(list); box.appendChild(go); box.hidden = false; button.hidden = true;
  }
  button.addEventListener('click', function () {
    errorBox.hidden = true;
    button.disabled = true;
    var regen = document.getElementById('regenerate_backup_codes');
    call('begin', {}).then(ceremony).then(function (cred) {
      return call('finish', { credential: encode(cred), regenerateBackupCodes: !!(regen && regen.checked) });
    }).then(function (j) {
      if (j.backupCodes && j.backupCodes.length) showCodes(j.backupCodes, j.redirect);
      else window.location.assign(j.redirect);
    }).catch(function (e) {
      errorBox.textContent = e && e.name === 'NotAllowedError' ? 'The security key request was cancelled or timed out.' : (e && e.message) || 'Failed.';
      errorBox.hidden = false;
      button.disabled = false;
    });
  });
})();
`;
