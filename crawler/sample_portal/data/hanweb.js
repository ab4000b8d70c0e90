var hanweb_webid = "3185";
function doZoom(size){
  var zoom = document.getElementById("zoom");
  if(zoom){ zoom.style.fontSize = size + "px"; }
}
function closeWindow(){
  if(navigator.userAgent.indexOf("MSIE") > 0){ window.opener = null; window.open("", "_self"); }
  window.close();
}
function checkKey(form){
  if(form.q.value == "" || form.q.value == "请输入关键字"){ alert("请输入查询内容"); return false; }
  return true;
}
function getDateStr(){
  var now = new Date(), days = ["日","一","二","三","四","五","六"];
  return now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 星期" + days[now.getDay()];
}
