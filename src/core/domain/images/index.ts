/** Image handling for the shared service: type sniffing, safe downloads, Vary (Region) masks. */
export { sniffImage, toDataUrl, parseDataUrl, type ImageMime, type SniffedImage } from './sniff.js';
export { downloadImage, imageToDataUrl, safeUrl, type DownloadOptions, type DownloadedImage } from '../../../runtime/images/download.js';
export { REGION_PRESETS, MAX_MASK_PIXELS, regionLabel, buildRegionMask, normalizeMask, maskToDataUrl, type RegionPreset } from './mask.js';
export { isPrivateAddress, isAllowedHost } from '../../../runtime/images/ssrf.js';
