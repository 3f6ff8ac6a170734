// The widget's own words, in the page's language (<html lang>, set by the theme per edition).
// words("ko") returns say(key, {name: value}): the sentence with its placeholders filled in.

export const WORDS = {
  en: {
    scroll: "Graph figure; scroll sideways if it is wider than the page",
    inputs: "Inputs of {formula}", slider: "{name} (slider)",
    toolbar: "Backward pass, step by step", next: "Step backward", prev: "Previous step",
    reset: "Show all", keys: "Keys: → next step back, ← previous, Esc show the whole pass.",
    idle: "The whole backward pass is shown. Press “Step backward” to walk it node by node.",
    done: "Backward pass complete: every input has its gradient. {grads}.",
    step: "Step {k} of {n}: the {op} node{out}, upstream gradient {up}.",
    output: " (output {name})", node: "the {op} node",
    line: "upstream {up} × local {local} = {down} → {to}",
    desc: "Computational graph of {formula}. Forward pass: {forward}. " +
      "Backward pass, gradients of {out}: {backward}.",
    table: "Local gradients along the chain, from x to y",
    node_h: "node", local_h: "local gradient", value_h: "value",
    empty: "Enter a number.", nan: "“{text}” is not a number.",
    big: "Too large: enter a number below 1e308.",
    fail: "With {name} = {value}, the {op} node gives no finite number (too large for a float).",
    kept: "Showing the last good graph.",
  },
  ko: {
    scroll: "계산 그래프 그림: 화면보다 넓으면 옆으로 스크롤하세요",
    inputs: "{formula}의 입력", slider: "{name} (슬라이더)",
    toolbar: "단계별 역전파", next: "한 단계 역전파", prev: "이전 단계",
    reset: "전체 보기", keys: "키: → 다음 단계, ← 이전 단계, Esc 역전파 전체 보기.",
    idle: "역전파 전체가 표시되어 있습니다. “한 단계 역전파”를 누르면 노드를 하나씩 따라갑니다.",
    done: "역전파 완료: 모든 입력이 기울기를 받았습니다. {grads}.",
    step: "{n}단계 중 {k}단계: {op} 노드{out}, 상류 기울기 {up}.",
    output: " (출력 {name})", node: "{op} 노드",
    line: "상류 {up} × 국소 {local} = {down} → {to}",
    desc: "{formula}의 계산 그래프. 순전파: {forward}. 역전파, {out}의 기울기: {backward}.",
    table: "x에서 y까지 사슬을 따라간 국소적 기울기",
    node_h: "노드", local_h: "국소적 기울기", value_h: "값",
    empty: "숫자를 입력하세요.", nan: "“{text}”은(는) 숫자가 아닙니다.",
    big: "너무 큽니다: 1e308보다 작은 수를 입력하세요.",
    fail: "{name} = {value}이면 {op} 노드의 값이 유한한 수가 아닙니다(부동소수점 범위 초과).",
    kept: "마지막으로 올바른 그래프를 보여 줍니다.",
  },
};

export function words(lang) {
  const w = WORDS[String(lang || "en").slice(0, 2).toLowerCase()] || WORDS.en;
  return (key, vars) =>
    String(w[key]).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
}
