/* 网站访问统计（异步加载，不影响页面显示） */
(function(){
  var site = "@SITE@", channel = document.getElementsByName("ColumnName");
  var column = channel.length ? channel[0].content : "";
  var data = {
    site: site, column: column, title: document.title,
    referrer: document.referrer, screen: screen.width + "x" + screen.height,
    lang: navigator.language || navigator.userLanguage
  };
  var q = [];
  for (var k in data) { if (data.hasOwnProperty(k)) { q.push(k + "=" + encodeURIComponent(data[k])); } }
  window._@NAME@Collect = function(){
    var img = new Image(1, 1);
    img.src = "https://@HOST@/collect.gif?" + q.join("&") + "&t=" + (+new Date());
  };
  function toggle(cls){
    var b = document.body;
    if((" " + b.className + " ").indexOf(" " + cls + " ") > -1){
      b.className = (" " + b.className + " ").replace(" " + cls + " ", " ").replace(/^\s+|\s+$/g, "");
    } else { b.className = (b.className + " " + cls).replace(/^\s+/, ""); }
  }
  window.toggleOldMode = function(){ toggle("old-mode"); };
  window.toggleWza = function(){
    var bar = document.getElementById("wza-toolbar");
    if(bar){ bar.className = bar.className.indexOf("show") > -1 ? "wza-toolbar" : "wza-toolbar show"; }
    toggle("wza-mode");
  };
  if(window.addEventListener){ window.addEventListener("load", window._@NAME@Collect); }
})();
