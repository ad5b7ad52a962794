import type { Lang } from "../../i18n/index.ts";
import { translator } from "../../i18n/index.ts";
import { bits, hexByte } from "./format.ts";

/**
 * The first two bytes of a frame bit by bit, laid out like the RFC 6455 §5.2 diagram:
 * FIN RSV1 RSV2 RSV3 opcode(4) | MASK payload len(7).
 */
export function BitTable({ lang, first, second }: { lang: Lang; first: number; second: number }) {
  const t = translator(lang);
  const b0 = bits(first);
  const b1 = bits(second);
  const cell = (field: string, value: string, span = 1) => (
    <td data-field={field} colSpan={span}>
      {value}
    </td>
  );
  return (
    <div className="widget-scroll">
      <table className="bit-table">
        <caption className="widget-label">{t("bits.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">FIN</th>
            <th scope="col">RSV1</th>
            <th scope="col">RSV2</th>
            <th scope="col">RSV3</th>
            <th scope="col" colSpan={4}>
              opcode
            </th>
            <th scope="col">MASK</th>
            <th scope="col" colSpan={7}>
              {t("bits.payloadLen")}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            {cell("finRsvOpcode", b0[0]!)}
            {cell("finRsvOpcode", b0[1]!)}
            {cell("finRsvOpcode", b0[2]!)}
            {cell("finRsvOpcode", b0[3]!)}
            {cell("finRsvOpcode", b0.slice(4), 4)}
            {cell("maskLength", b1[0]!)}
            {cell("maskLength", b1.slice(1), 7)}
          </tr>
          <tr>
            <td colSpan={8}>{t("bits.byte", { n: 0, hex: hexByte(first) })}</td>
            <td colSpan={8}>{t("bits.byte", { n: 1, hex: hexByte(second) })}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
