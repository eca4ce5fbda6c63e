const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const formatMg = (mg: number) => `${whole.format(mg)} mg`;
export const formatWhole = (value: number) => whole.format(value);
export const formatNumber = (value: number) => number.format(value);
export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
