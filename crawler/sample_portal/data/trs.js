(function(){
  var week = ["日","一","二","三","四","五","六"];
  function showDate(){
    var d = new Date(), el = document.getElementById("today");
    if(!el){ return; }
    el.innerHTML = d.getFullYear() + "年" + (d.getMonth()+1) + "月" + d.getDate() + "日 星期" + week[d.getDay()];
  }
  window.doZoom = function(size){
    var box = document.getElementById("zoom");
    if(!box){ return; }
    box.style.fontSize = size + "px";
    var ps = box.getElementsByTagName("p");
    for(var i = 0; i < ps.length; i++){ ps[i].style.fontSize = size + "px"; }
  };
  window.shareTo = function(kind){
    var url = encodeURIComponent(location.href), title = encodeURIComponent(document.title);
    var targets = {
      weibo: "https://service.weibo.com/share/share.php?url=" + url + "&title=" + title,
      qzone: "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=" + url + "&title=" + title
    };
    if(targets[kind]){ window.open(targets[kind], "_blank"); }
  };
  window.checkSearch = function(form){
    var q = form.searchword.value.replace(/^\s+|\s+$/g, "");
    if(q === "" || q === "请输入关键词"){ alert("请输入搜索关键词！"); return false; }
    return true;
  };
  window.onscroll = function(){
    var top = document.documentElement.scrollTop || document.body.scrollTop;
    var btn = document.getElementById("gotop");
    if(btn){ btn.style.display = top > 400 ? "block" : "none"; }
  };
  if(window.addEventListener){ window.addEventListener("load", showDate); }
  else { window.attachEvent("onload", showDate); }
})();
