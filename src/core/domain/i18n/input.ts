/** User-facing text for prompt, mask and region problems (registered on import). */
import type { Dictionary } from './catalogue.js';

export const inputMessages: Dictionary = {
  'input.promptEmpty': { en: 'Please write a prompt: what should be drawn?', zh: '请输入提示词：想画什么？' },
  'input.promptTooLong': { en: 'The prompt is too long (max {max} characters). Please shorten it.', zh: '提示词太长（最多 {max} 个字符），请精简后再试。' },
  'input.zoomMissing': { en: 'Custom Zoom needs --zoom with a value between 1 and 2 in the prompt, e.g. "a cat --zoom 1.5".', zh: '自定义缩放需要在提示词中加上 --zoom，取值 1 到 2，例如 “一只猫 --zoom 1.5”。' },
  'input.zoomRange': { en: '--zoom must be a number between 1 and 2 (e.g. --zoom 1.5).', zh: '--zoom 必须是 1 到 2 之间的数字（例如 --zoom 1.5）。' },
  'input.maskEmpty': { en: 'The mask is empty: it has no white area. Paint the part to redraw white on a black background.', zh: '蒙版为空：没有白色区域。请在黑色背景上把要重绘的部分涂成白色。' },
  'input.maskFull': { en: 'The mask covers everything. Keep the part you want to keep black; only white areas are redrawn.', zh: '蒙版覆盖了整张图。请把要保留的部分留成黑色，只有白色区域会被重绘。' },
  'input.maskNotPng': { en: 'Please send the mask as a PNG file (as a file, not a compressed photo): black background, white = area to redraw.', zh: '请以 PNG 文件发送蒙版（作为文件发送，不要压缩成图片）：黑色背景，白色 = 要重绘的区域。' },
  'input.maskTooBig': { en: 'The mask image is too big (max {max} megapixels).', zh: '蒙版图片太大（最多 {max} 百万像素）。' },
  'input.regionUnknown': { en: 'Unknown area. Please choose one of the offered areas.', zh: '未知的区域，请从提供的区域中选择。' },
  'region.left-half': { en: 'Left half', zh: '左半部分' },
  'region.right-half': { en: 'Right half', zh: '右半部分' },
  'region.top-half': { en: 'Top half', zh: '上半部分' },
  'region.bottom-half': { en: 'Bottom half', zh: '下半部分' },
  'region.center': { en: 'Center', zh: '中间部分' },
  'region.left-third': { en: 'Left third', zh: '左侧三分之一' },
  'region.middle-third': { en: 'Middle third', zh: '中间三分之一' },
  'region.right-third': { en: 'Right third', zh: '右侧三分之一' },
  'region.top-third': { en: 'Top third', zh: '上方三分之一' },
  'region.bottom-third': { en: 'Bottom third', zh: '下方三分之一' },
  'region.top-left': { en: 'Top left', zh: '左上角' },
  'region.top-right': { en: 'Top right', zh: '右上角' },
  'region.bottom-left': { en: 'Bottom left', zh: '左下角' },
  'region.bottom-right': { en: 'Bottom right', zh: '右下角' },
};

