import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import { errorText } from '../../core/error-text';
import type { RgbaImage } from '../../core/data/image-resize';
import { imageRow } from '../../state/try-it-input';
import { type TryItColumns, tryInput } from '../../state/try-it-store';

/** The pixels of anything a canvas can draw (a decoded file, a video frame). */
function pixelsOf(source: CanvasImageSource, width: number, height: number): RgbaImage {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot read the picture (no 2-D canvas).');
  ctx.drawImage(source, 0, 0, width, height);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { width, height, data };
}

const hasCamera = () => typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';

/**
 * A picture for an image data set: dropped, picked, or a webcam snapshot (the camera is asked for
 * only when the person clicks, and let go after the snapshot). It is resized to the data set's shape
 * as the zip loader resized the training images.
 */
export function ImageInput({ shape, columns }: { shape: [number, number, number]; columns: TryItColumns | null }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [height, width, channels] = shape;

  const give = (image: RgbaImage, name: string) => {
    try {
      tryInput({ features: imageRow(image, shape, columns?.scaling, columns?.pixelUnit ?? 1), source: { kind: 'image', name } });
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const open = async (file: File | undefined) => {
    if (!file) return;
    try {
      const bitmap = await createImageBitmap(file);
      try {
        give(pixelsOf(bitmap, bitmap.width, bitmap.height), file.name);
      } finally {
        bitmap.close();
      }
    } catch (e) {
      setError(`${file.name} could not be read as a picture: ${errorText(e)}`);
    }
  };
  const drop = (e: DragEvent<HTMLFieldSetElement>) => {
    e.preventDefault();
    setOver(false);
    void open(e.dataTransfer.files[0]);
  };

  const startCamera = async () => {
    try {
      setCamera(await navigator.mediaDevices.getUserMedia({ video: true, audio: false }));
      setError(null);
    } catch (e) {
      setError(`The camera could not be used: ${errorText(e)}`);
    }
  };
  const stopCamera = () => {
    for (const track of camera?.getTracks() ?? []) track.stop();
    setCamera(null);
  };
  const snapshot = () => {
    const v = video.current;
    if (!v || v.videoWidth === 0) return setError('The camera has not sent a picture yet: try again in a moment.');
    give(pixelsOf(v, v.videoWidth, v.videoHeight), 'webcam snapshot');
    stopCamera();
  };
  useEffect(() => {
    if (video.current && camera) {
      video.current.srcObject = camera;
      void video.current.play().catch(() => {});
    }
  }, [camera]);
  // The camera is let go when the region goes (another data set, another page).
  useEffect(
    () => () => {
      for (const track of camera?.getTracks() ?? []) track.stop();
    },
    [camera],
  );

  return (
    <div className="try-it-image">
      <fieldset
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <label htmlFor={`${id}-file`}>Image to try</label>
        <input id={`${id}-file`} type="file" accept="image/*" onChange={(e) => void open(e.target.files?.[0])} />
        <small className="field-help">
          Drop a picture here or pick one: it is resized to {width}×{height}
          {channels === 1 ? ', grey' : ''}, as the training images were.
        </small>
      </fieldset>
      {hasCamera() && (
        <div className="button-row">
          {!camera ? (
            <button type="button" onClick={() => void startCamera()}>
              Use webcam
            </button>
          ) : (
            <>
              <button type="button" onClick={snapshot}>
                Take snapshot
              </button>
              <button type="button" onClick={stopCamera}>
                Stop webcam
              </button>
            </>
          )}
        </div>
      )}
      {camera && <video ref={video} className="try-it-video" muted playsInline aria-label="Webcam preview" />}
      {error && <p className="message error">{error}</p>}
    </div>
  );
}
