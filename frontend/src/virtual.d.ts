declare module 'virtual:help-countries' {
  const countries: { code: string; name: string; zones: string[] }[];
  export default countries;
}
