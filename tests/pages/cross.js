// Loads the module named by ?src= (an absolute URL on another origin): the page and the
// widget's assets come from different origins, as when dist/ is hosted on a CDN.
const src = new URLSearchParams(location.search).get('src');
const script = document.createElement('script');
script.type = 'module';
script.src = src;
document.head.append(script);
