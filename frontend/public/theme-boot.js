/* global document, matchMedia */
// Sets the theme before the first paint, so a page never flashes the other theme while its bundle
// loads. A blocking file in <head>: the CSP (script-src 'self') forbids inline scripts. It does
// what lib/theme.ts does on start (which then takes over): the choice stored under "nop.theme",
// else the system's; dark unless the system asks for light.
(function () {
  var choice = null;
  try {
    choice = localStorage.getItem('nop.theme');
  } catch (_) {
    // storage disabled: follow the system
  }
  var light = choice === 'light' || (choice !== 'dark' && matchMedia('(prefers-color-scheme: light)').matches);
  document.documentElement.dataset.theme = light ? 'light' : 'dark';
})();
