// Custom search attributes kept current by the promotion workflow, so the Temporal UI's workflow
// list can be filtered by target, phase, image and outcome. All are Keyword (exact match).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const PromotionTarget = defineSearchAttributeKey('PromotionTarget', SearchAttributeType.KEYWORD);
export const PromotionPhase = defineSearchAttributeKey('PromotionPhase', SearchAttributeType.KEYWORD);
export const PromotionImage = defineSearchAttributeKey('PromotionImage', SearchAttributeType.KEYWORD);
export const PromotionOutcome = defineSearchAttributeKey('PromotionOutcome', SearchAttributeType.KEYWORD);

/** Names to register on a server: `temporal operator search-attribute create --type Keyword`. */
export const promotionSearchAttributeNames = [PromotionTarget, PromotionPhase, PromotionImage, PromotionOutcome].map((k) => k.name);
