"use strict";(self.rspackChunkml_course_kit_grade=self.rspackChunkml_course_kit_grade||[]).push([[700],{646(t,e,r){var a=r(601),n=r.n(a),o=r(933),i=(r.n(o))()(n());i.push([t.id,`/* The course kit's Grade button and its result dialog. */
.ml-kit-grade-button.ml-kit-grading {
  opacity: 0.7;
  cursor: progress;
}

.ml-kit-grade-dialog .jp-Dialog-content {
  max-width: 90vw;
}

.ml-kit-grade-result {
  max-width: 80vw;
  max-height: 70vh;
  overflow: auto;
}

.ml-kit-grade-table {
  border-collapse: collapse;
  margin: 8px 0;
}

.ml-kit-grade-table th,
.ml-kit-grade-table td {
  border-bottom: 1px solid var(--jp-border-color2);
  padding: 4px 8px;
  text-align: left;
  vertical-align: top;
}

.ml-kit-grade-table td.ml-kit-points {
  white-space: nowrap;
  text-align: right;
}

.ml-kit-grade-table td.ml-kit-message {
  max-width: 50vw;
  white-space: pre-wrap;
}

.ml-kit-grade-table tr.ml-kit-pass td.ml-kit-status {
  color: var(--jp-success-color1);
  font-weight: bold;
}

.ml-kit-grade-table tr.ml-kit-fail td.ml-kit-status {
  color: var(--jp-error-color1);
  font-weight: bold;
}

.ml-kit-grade-table tfoot td {
  font-weight: bold;
}

.ml-kit-grade-error {
  max-width: 60vw;
}
`,""]),r.d(e,{},{A:i})},933(t){t.exports=function(t){var e=[];return e.toString=function(){return this.map(function(e){var r="",a=void 0!==e[5];return e[4]&&(r+="@supports (".concat(e[4],") {")),e[2]&&(r+="@media ".concat(e[2]," {")),a&&(r+="@layer".concat(e[5].length>0?" ".concat(e[5]):""," {")),r+=t(e),a&&(r+="}"),e[2]&&(r+="}"),e[4]&&(r+="}"),r}).join("")},e.i=function(t,r,a,n,o){"string"==typeof t&&(t=[[null,t,void 0]]);var i={};if(a)for(var s=0;s<this.length;s++){var c=this[s][0];null!=c&&(i[c]=!0)}for(var l=0;l<t.length;l++){var u=[].concat(t[l]);a&&i[u[0]]||(void 0!==o&&(void 0===u[5]||(u[1]="@layer".concat(u[5].length>0?" ".concat(u[5]):""," {").concat(u[1],"}")),u[5]=o),r&&(u[2]&&(u[1]="@media ".concat(u[2]," {").concat(u[1],"}")),u[2]=r),n&&(u[4]?(u[1]="@supports (".concat(u[4],") {").concat(u[1],"}"),u[4]=n):u[4]="".concat(n)),e.push(u))}},e}},601(t){t.exports=function(t){return t[1]}},72(t){var e=[];function r(t){for(var r=-1,a=0;a<e.length;a++)if(e[a].identifier===t){r=a;break}return r}function a(t,a){for(var n={},o=[],i=0;i<t.length;i++){var s=t[i],c=a.base?s[0]+a.base:s[0],l=n[c]||0,u="".concat(c," ").concat(l);n[c]=l+1;var d=r(u),p={css:s[1],media:s[2],sourceMap:s[3],supports:s[4],layer:s[5]};if(-1!==d)e[d].references++,e[d].updater(p);else{var m=function(t,e){var r=e.domAPI(e);return r.update(t),function(e){e?(e.css!==t.css||e.media!==t.media||e.sourceMap!==t.sourceMap||e.supports!==t.supports||e.layer!==t.layer)&&r.update(t=e):r.remove()}}(p,a);a.byIndex=i,e.splice(i,0,{identifier:u,updater:m,references:1})}o.push(u)}return o}t.exports=function(t,n){var o=a(t=t||[],n=n||{});return function(t){t=t||[];for(var i=0;i<o.length;i++){var s=r(o[i]);e[s].references--}for(var c=a(t,n),l=0;l<o.length;l++){var u=r(o[l]);0===e[u].references&&(e[u].updater(),e.splice(u,1))}o=c}}},659(t){var e={};t.exports=function(t,r){var a=function(t){if(void 0===e[t]){var r=document.querySelector(t);if(window.HTMLIFrameElement&&r instanceof window.HTMLIFrameElement)try{r=r.contentDocument.head}catch(t){r=null}e[t]=r}return e[t]}(t);if(!a)throw Error("Couldn't find a style target. This probably means that the value for the 'insert' parameter is invalid.");a.appendChild(r)}},540(t){t.exports=function(t){var e=document.createElement("style");return t.setAttributes(e,t.attributes),t.insert(e,t.options),e}},56(t,e,r){t.exports=function(t){var e=r.nc;e&&t.setAttribute("nonce",e)}},206(t){t.exports=function(t){if("u"<typeof document)return{update:function(){},remove:function(){}};var e=t.insertStyleElement(t);return{update:function(r){var a,n,o;a="",r.supports&&(a+="@supports (".concat(r.supports,") {")),r.media&&(a+="@media ".concat(r.media," {")),(n=void 0!==r.layer)&&(a+="@layer".concat(r.layer.length>0?" ".concat(r.layer):""," {")),a+=r.css,n&&(a+="}"),r.media&&(a+="}"),r.supports&&(a+="}"),(o=r.sourceMap)&&"u">typeof btoa&&(a+="\n/*# sourceMappingURL=data:application/json;base64,".concat(btoa(unescape(encodeURIComponent(JSON.stringify(o))))," */")),t.styleTagTransform(a,e,t.options)},remove:function(){var t;null===(t=e).parentNode||t.parentNode.removeChild(t)}}}},113(t){t.exports=function(t,e){if(e.styleSheet)e.styleSheet.cssText=t;else{for(;e.firstChild;)e.removeChild(e.firstChild);e.appendChild(document.createTextNode(t))}}},959(t,e,r){var a=r(72),n=r.n(a),o=r(206),i=r.n(o),s=r(659),c=r.n(s),l=r(56),u=r.n(l),d=r(540),p=r.n(d),m=r(113),f=r.n(m),v=r(646),h={};h.styleTagTransform=f(),h.setAttributes=u(),h.insert=c().bind(null,"head"),h.domAPI=i(),h.insertStyleElement=p(),n()(v.A,h),v.A&&v.A.locals&&v.A.locals}}]);