// The admin pages work without this script; it adds the crop box, drag and drop, and copy buttons.
import Cropper from "cropperjs";
import "cropperjs/dist/cropper.css";

function announce(text) {
  const region = document.getElementById("announce");
  if (region) region.textContent = text;
}

function setUpCrop() {
  const image = document.getElementById("crop-image");
  if (!image) return;
  const form = image.closest("form");
  const field = (name) => form.elements.namedItem(name);
  const names = ["x", "y", "width", "height"];
  const cropper = new Cropper(image, {
    aspectRatio: 1,
    viewMode: 1,
    autoCropArea: 1,
    zoomable: false,
    crop(event) {
      const box = { x: event.detail.x, y: event.detail.y, width: event.detail.width, height: event.detail.height };
      for (const name of names) field(name).value = Math.max(0, Math.round(box[name]));
    },
  });
  for (const name of names) {
    field(name).addEventListener("change", () => {
      const data = {};
      for (const n of names) data[n] = Number(field(n).value);
      cropper.setData(data);
    });
  }
}

function setUpDropzone() {
  for (const zone of document.querySelectorAll("[data-dropzone]")) {
    const input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      input.files = event.dataTransfer.files;
      announce(`Uploading ${input.files[0].name}`);
      zone.requestSubmit();
    });
  }
}

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand("copy");
  }
  announce("Copied to the clipboard");
}

function setUpCopyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    button.addEventListener("click", () => copyText(input).then(() => {
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    }));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setUpCrop();
  setUpDropzone();
  setUpCopyButtons();
});
