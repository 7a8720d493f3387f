// Site photos sent one by one as they are taken or chosen, each with its progress bar, so that a refused
// photo leaves the others kept. A photo over the size limit is first shrunk on the device to a JPEG of at
// most MAX_SIDE pixels a side; the time it was taken, read from the original's EXIF, is sent beside it
// (the canvas copy has no EXIF).
(function () {
  "use strict";
  var field = document.getElementById("photo-field");
  if (!field || !field.dataset.uploadUrl || !window.FormData || !window.createImageBitmap) { return; }
  var form = field.closest("form");
  var list = document.getElementById("photo-list");
  var maxBytes = Number(field.dataset.maxBytes);
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var text = field.dataset;
  var MAX_SIDE = 2560;
  var EXIF_HEAD = 256 * 1024;
  var pending = 0;

  function busy(delta) {
    pending += delta;
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = pending > 0; });
  }

  // "YYYY-MM-DDTHH:MM:SS" from a JPEG's EXIF DateTimeOriginal (or DateTime), "" when there is none.
  function exifTime(buffer) {
    try {
      var view = new DataView(buffer);
      if (view.getUint16(0) !== 0xFFD8) { return ""; }
      var offset = 2;
      while (offset + 10 <= view.byteLength) {
        var marker = view.getUint16(offset);
        if ((marker & 0xFF00) !== 0xFF00) { return ""; }
        if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) { return tiffTime(view, offset + 10); }
        offset += 2 + view.getUint16(offset + 2);
      }
    } catch (e) { /* a truncated or odd header: no time */ }
    return "";
  }
  function tiffTime(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    function u16(at) { return view.getUint16(at, little); }
    function u32(at) { return view.getUint32(at, little); }
    function entries(ifd) {
      var found = {};
      for (var i = 0, n = u16(tiff + ifd); i < n; i++) {
        var entry = tiff + ifd + 2 + i * 12;
        found[u16(entry)] = entry;
      }
      return found;
    }
    function ascii(entry) {
      var count = u32(entry + 4);
      var at = count > 4 ? tiff + u32(entry + 8) : entry + 8;
      var s = "";
      for (var k = 0; k < count - 1; k++) { s += String.fromCharCode(view.getUint8(at + k)); }
      return s;
    }
    var ifd0 = entries(u32(tiff + 4));
    var raw = "";
    if (ifd0[0x8769]) {
      var exif = entries(u32(ifd0[0x8769] + 8));
      if (exif[0x9003]) { raw = ascii(exif[0x9003]); }
    }
    if (!raw && ifd0[0x0132]) { raw = ascii(ifd0[0x0132]); }
    var m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    return m ? m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6] : "";
  }

  function encode(bitmap, scale) {
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); }).then(function (blob) {
      return blob.size <= maxBytes || scale < 0.1 ? blob : encode(bitmap, scale * 0.75);
    });
  }
  function shrink(file) {
    return createImageBitmap(file).then(function (bitmap) {
      return encode(bitmap, Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height)));
    });
  }

  function row(name) {
    var li = document.createElement("li");
    li.className = "kp-photo";
    li.innerHTML = '<div class="kp-photo-name"></div><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100">' +
      '<div class="progress-bar" style="width: 0%"></div></div><div class="kp-photo-meta"></div>';
    li.querySelector(".kp-photo-name").textContent = name;
    list.appendChild(li);
    return li;
  }
  function show(li, percent, note) {
    li.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
    li.querySelector(".progress-bar").style.width = percent + "%";
    if (note !== undefined) { li.querySelector(".kp-photo-meta").textContent = note; }
  }
  function kept(li, answer, shrunk) {
    li.dataset.photo = answer.id;
    li.querySelector(".progress").remove();
    var img = document.createElement("img");
    img.src = answer.url;
    img.alt = "";
    li.insertBefore(img, li.firstChild);
    var notes = [];
    if (answer.taken_at) { notes.push(text.msgTaken + " " + answer.taken_at); }
    if (shrunk) { notes.push(text.msgShrunk); }
    li.querySelector(".kp-photo-meta").textContent = notes.join(" · ");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-sm btn-outline-danger";
    remove.dataset.deleteUrl = answer.delete_url;
    remove.textContent = text.msgDelete;
    li.appendChild(remove);
  }
  function refused(li, message) {
    li.classList.add("kp-photo-refused");
    var bar = li.querySelector(".progress");
    if (bar) { bar.remove(); }
    li.querySelector(".kp-photo-meta").textContent = message;
  }

  function send(li, blob, name, takenAt, shrunk) {
    return new Promise(function (done) {
      post(li, blob, name, takenAt, shrunk, done);
    });
  }
  function post(li, blob, name, takenAt, shrunk, done) {
    var data = new FormData();
    data.append("photo", blob, name);
    data.append("taken_at", takenAt);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", field.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { show(li, Math.round(e.loaded / e.total * 100), text.msgUploading); }
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a failure */ }
      if (xhr.status === 200) { kept(li, answer, shrunk); } else { refused(li, answer.error || text.msgFailed); }
      done();
    };
    xhr.onerror = function () { refused(li, text.msgFailed); done(); };
    xhr.send(data);
  }

  function upload(file, li) {
    return file.slice(0, EXIF_HEAD).arrayBuffer().then(exifTime).then(function (takenAt) {
      if (file.size <= maxBytes) { return send(li, file, file.name, takenAt, false); }
      show(li, 0, text.msgShrinking);
      return shrink(file).then(function (blob) {
        return send(li, blob, file.name.replace(/\.[^.]*$/, "") + ".jpg", takenAt, true);
      }, function () {
        return send(li, file, file.name, takenAt, false);  // not an image the browser reads: the server says why
      });
    });
  }

  // One photo at a time, in the order chosen: a weak signal carries one upload better than several.
  var queue = Promise.resolve();
  field.querySelectorAll("input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) {
        busy(1);
        var li = row(file.name);
        queue = queue.then(function () { return upload(file, li); }).catch(function () {
          refused(li, text.msgFailed);
        }).then(function () { busy(-1); });
      });
      input.value = "";
    });
  });
  list.addEventListener("click", function (e) {
    var button = e.target.closest("[data-delete-url], [data-delete]");
    if (!button) { return; }
    e.preventDefault();
    var url = button.dataset.deleteUrl || button.getAttribute("formaction");
    fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf, Accept: "application/json" } }).then(function (r) {
      if (r.ok) { button.closest("li").remove(); }
    });
  });
})();
