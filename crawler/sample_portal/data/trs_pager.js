function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  var pageUrl = function(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  if(nCurrIndex == 0){
    document.write("<span class=\"current\">首页</span>");
    document.write("<span>上一页</span>");
  } else {
    document.write("<a href=\"" + pageUrl(0) + "\">首页</a>");
    document.write("<a href=\"" + pageUrl(nCurrIndex - 1) + "\">上一页</a>");
  }
  for(var i = 0; i < _nPageCount; i++){
    if(i == nCurrIndex){ document.write("<span class=\"current\">" + (i + 1) + "</span>"); }
    else { document.write("<a href=\"" + pageUrl(i) + "\">" + (i + 1) + "</a>"); }
  }
  if(nCurrIndex == _nPageCount - 1){
    document.write("<span>下一页</span><span>尾页</span>");
  } else {
    document.write("<a href=\"" + pageUrl(nCurrIndex + 1) + "\">下一页</a>");
    document.write("<a href=\"" + pageUrl(_nPageCount - 1) + "\">尾页</a>");
  }
  document.write("<span>共" + _nPageCount + "页</span>");
}
