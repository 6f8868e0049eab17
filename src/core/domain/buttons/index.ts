/** Button catalogue (what a Midjourney button is and where it goes) and the signed payload codec. */
export { describeButton, layoutButtons, toButtonView, isUnicodeEmoji, MAX_BUTTONS_PER_ROW, MAX_ROWS } from './catalogue.js';
export type { ButtonInfo, ButtonKind, ButtonLike, FormNeed } from './catalogue.js';
export { createButtonCodec, DEFAULT_BUTTON_TTL_MS, MAX_PAYLOAD_BYTES } from './codec.js';
export type { ButtonCodec, DecodedPayload } from './codec.js';
