"use strict";
// The page only draws and talks to the server: every reading comes from the Python Recognizer.

const $ = (id) => document.getElementById(id);
const NOT_A_DIGIT = 10;

function showMode(mode) {
  for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-selected", tab.dataset.mode === mode);
  for (const section of document.querySelectorAll(".mode")) section.hidden = section.id !== mode;
  if (mode !== "live") stopLive();
}
for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showMode(tab.dataset.mode));

async function postFile(url, blob, name) {
  const form = new FormData();
  form.append("file", blob, name);
  let response;
  try {
    response = await fetch(url, { method: "POST", body: form });
  } catch {
    throw new Error("The upload did not reach the server (is the server running, the file within its size limit?)");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `The server answered ${response.status}.`);
  return body;
}

// ---- Draw: a white canvas, black strokes; the drawing is sent as a PNG when the pen lifts.

const pad = $("pad");
const pen = pad.getContext("2d");
let lastPoint = null;
let drawRequest = 0; // answers to older drawings are ignored

function clearPad() {
  pen.fillStyle = "#fff";
  pen.fillRect(0, 0, pad.width, pad.height);
  drawRequest += 1;
  showDrawing(null);
}

function padPoint(event) {
  const rect = pad.getBoundingClientRect();
  return [(event.clientX - rect.left) * pad.width / rect.width, (event.clientY - rect.top) * pad.height / rect.height];
}

function stroke(from, to) {
  pen.strokeStyle = "#000";
  pen.lineWidth = pad.height / 12;
  pen.lineCap = pen.lineJoin = "round";
  pen.beginPath();
  pen.moveTo(...from);
  pen.lineTo(...to);
  pen.stroke();
}

pad.addEventListener("pointerdown", (event) => {
  pad.setPointerCapture(event.pointerId);
  lastPoint = padPoint(event);
  stroke(lastPoint, lastPoint);
});
pad.addEventListener("pointermove", (event) => {
  if (!lastPoint) return;
  const point = padPoint(event);
  stroke(lastPoint, point);
  lastPoint = point;
});
for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => {
    if (!lastPoint) return;
    lastPoint = null;
    readDrawing();
  });
}
$("clear").addEventListener("click", clearPad);

async function readDrawing() {
  const request = ++drawRequest;
  const png = await new Promise((resolve) => pad.toBlob(resolve, "image/png"));
  try {
    const reading = await postFile("/api/draw", png, "drawing.png");
    if (request === drawRequest) showDrawing(reading);
  } catch (error) {
    if (request === drawRequest) $("draw-error").textContent = error.message;
  }
}

function showDrawing(reading) {
  const output = $("draw-reading");
  output.textContent = reading ? reading.text || "nothing read" : "–";
  output.dataset.text = reading ? reading.text : "";
  $("draw-error").textContent = "";
  const tiles = $("candidates");
  tiles.replaceChildren();
  const candidates = reading ? reading.candidates : [];
  candidates.forEach((candidate, i) => {
    const tile = document.createElement("button");
    const best = candidate.probs.indexOf(Math.max(...candidate.probs));
    tile.className = "tile";
    tile.title = "show this candidate's probabilities";
    tile.innerHTML = `<img src="${candidate.image}" alt=""><span>${best === NOT_A_DIGIT ? "✗" : best}</span>`;
    tile.addEventListener("click", () => showCandidate(candidates, i));
    tiles.append(tile);
  });
  showCandidate(candidates, 0);
}

function showCandidate(candidates, index) {
  const candidate = candidates[index];
  $("candidates").querySelectorAll(".tile").forEach((tile, i) => tile.classList.toggle("selected", i === index));
  const image = $("model-input");
  image.hidden = !candidate;
  image.src = candidate ? candidate.image : "";
  const bars = $("bars");
  bars.replaceChildren();
  if (!candidate) return;
  const best = candidate.probs.indexOf(Math.max(...candidate.probs));
  candidate.probs.forEach((p, label) => {
    const bar = document.createElement("div");
    bar.className = label === best ? "bar best" : "bar";
    bar.title = `${label === NOT_A_DIGIT ? "not a digit" : label}: ${(100 * p).toFixed(1)} %`;
    bar.innerHTML = `<span class="fill" style="height:${(100 * p).toFixed(1)}%"></span>` +
      `<span class="label">${label === NOT_A_DIGIT ? "✗" : label}</span>`;
    bars.append(bar);
  });
}

// ---- Photo: an image or a short video is uploaded; the server answers with it annotated and the JSON lines.

let jsonUrl = null;

async function readUpload(file) {
  const status = $("photo-status");
  status.textContent = `Reading ${file.name}…`;
  status.dataset.digits = "";
  $("photo-error").textContent = "";
  $("photo-result").hidden = true;
  try {
    const reading = await postFile("/api/photo", file, file.name);
    const texts = reading.numbers.map((number) => number.text);
    status.textContent = `${file.name}: ${reading.digits} digits, ${texts.length} numbers.`;
    status.dataset.digits = reading.digits;
    $("photo-numbers").textContent = texts.length ? `Numbers: ${texts.join(", ")}.` : "No numbers read.";
    $("photo-image").src = reading.annotated;
    $("photo-caption").textContent = reading.caption;
    if (jsonUrl) URL.revokeObjectURL(jsonUrl);
    const lines = reading.frames.map((frame) => JSON.stringify(frame)).join("\n") + "\n";
    jsonUrl = URL.createObjectURL(new Blob([lines], { type: "application/x-ndjson" }));
    $("photo-json").href = jsonUrl;
    $("photo-json").download = `${file.name.replace(/\.[^.]*$/, "")}.jsonl`;
    $("photo-result").hidden = false;
  } catch (error) {
    status.textContent = "";
    $("photo-error").textContent = error.message;
  }
}

$("photo-file").addEventListener("change", (event) => {
  const file = event.target.files[0];
  event.target.value = ""; // choosing the same file again reads it again
  if (file) readUpload(file);
});
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  if (event.dataTransfer.files[0]) readUpload(event.dataTransfer.files[0]);
});

// ---- Live: camera frames go to the server as JPEGs over a WebSocket, one in flight at a time;
// the boxes that come back are drawn over the video.

let live = null; // {stream, socket, start, answers}
const grab = document.createElement("canvas");

async function startLive() {
  $("live-error").textContent = "";
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 } }, audio: false });
  } catch (error) {
    $("live-error").textContent = `No camera: ${error.message}`;
    return;
  }
  const video = $("live-video");
  video.srcObject = stream;
  await video.play();
  const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/live`);
  socket.binaryType = "arraybuffer";
  const session = { stream, socket, start: performance.now(), answers: [] };
  live = session;
  socket.onopen = () => sendFrame(session);
  socket.onmessage = (event) => {
    if (live !== session) return;
    const result = JSON.parse(event.data);
    if (result.error) $("live-error").textContent = result.error;
    else drawLive(result);
    countFps(session);
    sendFrame(session);
  };
  socket.onclose = () => {
    if (live !== session) return;
    stopLive();
    $("live-error").textContent = "The connection to the server closed.";
  };
  $("live-start").disabled = true;
  $("live-stop").disabled = false;
}

function sendFrame(session) {
  if (live !== session) return;
  const video = $("live-video");
  if (!video.videoWidth) {
    setTimeout(() => sendFrame(session), 50);
    return;
  }
  grab.width = Math.min(640, video.videoWidth);
  grab.height = Math.round(video.videoHeight * grab.width / video.videoWidth);
  grab.getContext("2d").drawImage(video, 0, 0, grab.width, grab.height);
  const time = performance.now() - session.start;
  grab.toBlob(async (jpeg) => {
    const bytes = new Uint8Array(await jpeg.arrayBuffer());
    const message = new Uint8Array(8 + bytes.length);
    new DataView(message.buffer).setFloat64(0, time, true);
    message.set(bytes, 8);
    if (live === session) session.socket.send(message);
  }, "image/jpeg", 0.7);
}

function countFps(session) {
  const now = performance.now();
  session.answers.push(now);
  while (session.answers.length > 2 && now - session.answers[0] > 2000) session.answers.shift();
  const span = now - session.answers[0];
  const fps = span > 0 ? (1000 * (session.answers.length - 1)) / span : 0;
  $("live-fps").textContent = `${fps.toFixed(1)} fps`;
  $("live-fps").dataset.fps = fps.toFixed(2);
}

function box(context, [x, y, w, h], scale, colour, text, below) {
  context.strokeStyle = context.fillStyle = colour;
  context.strokeRect(x * scale, y * scale, w * scale, h * scale);
  const width = context.measureText(text).width + 6;
  const top = below ? (y + h) * scale + 2 : y * scale - 18;
  context.fillRect(x * scale, top, width, 16);
  context.fillStyle = "#fff";
  context.fillText(text, x * scale + 3, top + 13);
}

function drawLive(result) {
  const video = $("live-video");
  const overlay = $("live-overlay");
  overlay.width = video.clientWidth;
  overlay.height = video.clientHeight;
  const context = overlay.getContext("2d");
  const scale = overlay.width / result.width;
  context.lineWidth = 2;
  context.font = "bold 13px sans-serif";
  for (const number of result.numbers) {
    box(context, number.box, scale, number.confirmed ? "#a03ca0" : "#0078ff", number.text, true);
  }
  for (const digit of result.digits) box(context, digit.box, scale, "#28a028", String(digit.label), false);
  overlay.dataset.boxes = result.digits.length;
  $("live-numbers").textContent = result.numbers.map((number) => number.text).join("  ");
}

function stopLive() {
  if (!live) return;
  const session = live;
  live = null;
  session.socket.close();
  for (const track of session.stream.getTracks()) track.stop();
  $("live-video").srcObject = null;
  const overlay = $("live-overlay");
  overlay.getContext("2d").clearRect(0, 0, overlay.width, overlay.height);
  overlay.dataset.boxes = 0;
  $("live-fps").textContent = "– fps";
  $("live-start").disabled = false;
  $("live-stop").disabled = true;
}

$("live-start").addEventListener("click", startLive);
$("live-stop").addEventListener("click", stopLive);
clearPad();
