// The product's name, shown in the header, page titles and emails.
export const PRODUCT_NAME = 'Studio Access' as const;
