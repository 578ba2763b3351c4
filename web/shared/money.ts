// Money on every screen, one way: rupees with two decimals (the API sends rupees as numbers).
const format = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', minimumFractionDigits: 2 });
export const rupees = (amount: number): string => format.format(amount);
