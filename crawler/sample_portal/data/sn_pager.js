function createPageHTML(_sPageDiv, _nPageCount, _nCurrIndex, _sPageName, _sPageExt, _nRecordCount){
  var div = document.getElementById(_sPageDiv);
  if(div == null || _nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  var url = function(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  var html = "<span>共" + _nRecordCount + "条</span>";
  html += nCurrIndex == 0 ? "<span>首页</span><span>上一页</span>"
    : "<a href=\"" + url(0) + "\">首页</a><a href=\"" + url(nCurrIndex - 1) + "\">上一页</a>";
  html += "<span class=\"current\">" + (nCurrIndex + 1) + "/" + _nPageCount + "</span>";
  html += nCurrIndex == _nPageCount - 1 ? "<span>下一页</span><span>尾页</span>"
    : "<a href=\"" + url(nCurrIndex + 1) + "\">下一页</a><a href=\"" + url(_nPageCount - 1) + "\">尾页</a>";
  div.innerHTML = html;
}
