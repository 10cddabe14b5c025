/** The words of the help center's own interface, in the page's language (English otherwise). */
export interface Messages {
  skipToContent: string;
  search: string;
  searchPlaceholder: string;
  searchTitle: string;
  results: (count: number, query: string) => string;
  noResults: (query: string) => string;
  /** No article has every word; these have some. */
  someWords: (query: string) => string;
  previous: string;
  next: string;
  home: string;
  otherArticles: string;
  seeAll: (count: number) => string;
  noArticles: string;
  updated: (date: string) => string;
  helpfulQuestion: string;
  yes: string;
  no: string;
  thanks: string;
  otherLanguages: string;
  notFoundTitle: string;
  notFoundText: string;
  notInThisLanguage: string;
  breadcrumbs: string;
}

const en: Messages = {
  skipToContent: 'Skip to content',
  search: 'Search',
  searchPlaceholder: 'Search for answers…',
  searchTitle: 'Search',
  results: (n, q) => `${n} ${n === 1 ? 'result' : 'results'} for “${q}”`,
  noResults: (q) => `Nothing found for “${q}”. Try other words.`,
  someWords: (q) => `No article has all of “${q}”; these have some of the words.`,
  previous: 'Previous',
  next: 'Next',
  home: 'Help center',
  otherArticles: 'More articles',
  seeAll: (n) => `See all ${n} articles`,
  noArticles: 'No articles here yet.',
  updated: (d) => `Updated ${d}`,
  helpfulQuestion: 'Was this article helpful?',
  yes: 'Yes',
  no: 'No',
  thanks: 'Thank you for your feedback!',
  otherLanguages: 'Also available in',
  notFoundTitle: 'Page not found',
  notFoundText: 'We could not find this page. It may have moved or been removed.',
  notInThisLanguage: 'This article is not available in this language. Read it in:',
  breadcrumbs: 'Breadcrumbs',
};

const de: Messages = {
  skipToContent: 'Zum Inhalt springen',
  search: 'Suchen',
  searchPlaceholder: 'Antworten suchen…',
  searchTitle: 'Suche',
  results: (n, q) => `${n} ${n === 1 ? 'Ergebnis' : 'Ergebnisse'} für „${q}“`,
  noResults: (q) => `Nichts gefunden für „${q}“. Versuchen Sie andere Wörter.`,
  someWords: (q) => `Kein Artikel enthält alle Wörter von „${q}“; diese enthalten einige davon.`,
  previous: 'Zurück',
  next: 'Weiter',
  home: 'Hilfe-Center',
  otherArticles: 'Weitere Artikel',
  seeAll: (n) => `Alle ${n} Artikel anzeigen`,
  noArticles: 'Hier gibt es noch keine Artikel.',
  updated: (d) => `Aktualisiert am ${d}`,
  helpfulQuestion: 'War dieser Artikel hilfreich?',
  yes: 'Ja',
  no: 'Nein',
  thanks: 'Vielen Dank für Ihr Feedback!',
  otherLanguages: 'Auch verfügbar auf',
  notFoundTitle: 'Seite nicht gefunden',
  notFoundText: 'Diese Seite wurde nicht gefunden. Vielleicht wurde sie verschoben oder entfernt.',
  notInThisLanguage: 'Dieser Artikel ist in dieser Sprache nicht verfügbar. Lesen Sie ihn auf:',
  breadcrumbs: 'Navigationspfad',
};

const es: Messages = {
  skipToContent: 'Ir al contenido',
  search: 'Buscar',
  searchPlaceholder: 'Buscar respuestas…',
  searchTitle: 'Búsqueda',
  results: (n, q) => `${n} ${n === 1 ? 'resultado' : 'resultados'} para «${q}»`,
  noResults: (q) => `No se encontró nada para «${q}». Pruebe con otras palabras.`,
  someWords: (q) => `Ningún artículo contiene todo «${q}»; estos contienen algunas de las palabras.`,
  previous: 'Anterior',
  next: 'Siguiente',
  home: 'Centro de ayuda',
  otherArticles: 'Más artículos',
  seeAll: (n) => `Ver los ${n} artículos`,
  noArticles: 'Todavía no hay artículos.',
  updated: (d) => `Actualizado el ${d}`,
  helpfulQuestion: '¿Le resultó útil este artículo?',
  yes: 'Sí',
  no: 'No',
  thanks: '¡Gracias por su opinión!',
  otherLanguages: 'También disponible en',
  notFoundTitle: 'Página no encontrada',
  notFoundText: 'No encontramos esta página. Puede que se haya movido o eliminado.',
  notInThisLanguage: 'Este artículo no está disponible en este idioma. Léalo en:',
  breadcrumbs: 'Ruta de navegación',
};

const fr: Messages = {
  skipToContent: 'Aller au contenu',
  search: 'Rechercher',
  searchPlaceholder: 'Rechercher une réponse…',
  searchTitle: 'Recherche',
  results: (n, q) => `${n} ${n <= 1 ? 'résultat' : 'résultats'} pour « ${q} »`,
  noResults: (q) => `Aucun résultat pour « ${q} ». Essayez d’autres mots.`,
  someWords: (q) => `Aucun article ne contient tout « ${q} » ; ceux-ci en contiennent une partie.`,
  previous: 'Précédent',
  next: 'Suivant',
  home: 'Centre d’aide',
  otherArticles: 'Autres articles',
  seeAll: (n) => `Voir les ${n} articles`,
  noArticles: 'Aucun article pour le moment.',
  updated: (d) => `Mis à jour le ${d}`,
  helpfulQuestion: 'Cet article vous a-t-il été utile ?',
  yes: 'Oui',
  no: 'Non',
  thanks: 'Merci pour votre avis !',
  otherLanguages: 'Également disponible en',
  notFoundTitle: 'Page introuvable',
  notFoundText: 'Cette page est introuvable. Elle a peut-être été déplacée ou supprimée.',
  notInThisLanguage: 'Cet article n’existe pas dans cette langue. Lisez-le en :',
  breadcrumbs: 'Fil d’Ariane',
};

const pt: Messages = {
  skipToContent: 'Ir para o conteúdo',
  search: 'Pesquisar',
  searchPlaceholder: 'Pesquisar respostas…',
  searchTitle: 'Pesquisa',
  results: (n, q) => `${n} ${n === 1 ? 'resultado' : 'resultados'} para “${q}”`,
  noResults: (q) => `Nada encontrado para “${q}”. Tente outras palavras.`,
  someWords: (q) => `Nenhum artigo contém todo “${q}”; estes contêm algumas das palavras.`,
  previous: 'Anterior',
  next: 'Próxima',
  home: 'Central de ajuda',
  otherArticles: 'Mais artigos',
  seeAll: (n) => `Ver todos os ${n} artigos`,
  noArticles: 'Ainda não há artigos aqui.',
  updated: (d) => `Atualizado em ${d}`,
  helpfulQuestion: 'Este artigo foi útil?',
  yes: 'Sim',
  no: 'Não',
  thanks: 'Obrigado pelo seu feedback!',
  otherLanguages: 'Também disponível em',
  notFoundTitle: 'Página não encontrada',
  notFoundText: 'Não encontramos esta página. Ela pode ter sido movida ou removida.',
  notInThisLanguage: 'Este artigo não está disponível neste idioma. Leia em:',
  breadcrumbs: 'Navegação estrutural',
};

const ru: Messages = {
  skipToContent: 'Перейти к содержимому',
  search: 'Найти',
  searchPlaceholder: 'Поиск ответов…',
  searchTitle: 'Поиск',
  results: (n, q) => `Найдено: ${n} по запросу «${q}»`,
  noResults: (q) => `По запросу «${q}» ничего не найдено. Попробуйте другие слова.`,
  someWords: (q) => `Статей со всеми словами «${q}» нет; в этих есть некоторые из них.`,
  previous: 'Назад',
  next: 'Далее',
  home: 'Центр помощи',
  otherArticles: 'Другие статьи',
  seeAll: (n) => `Все статьи (${n})`,
  noArticles: 'Здесь пока нет статей.',
  updated: (d) => `Обновлено ${d}`,
  helpfulQuestion: 'Эта статья была полезной?',
  yes: 'Да',
  no: 'Нет',
  thanks: 'Спасибо за отзыв!',
  otherLanguages: 'Также на других языках',
  notFoundTitle: 'Страница не найдена',
  notFoundText: 'Мы не нашли эту страницу. Возможно, её переместили или удалили.',
  notInThisLanguage: 'Этой статьи нет на этом языке. Прочитайте её на:',
  breadcrumbs: 'Навигационная цепочка',
};

const byLanguage: Record<string, Messages> = { en, de, es, fr, pt, ru };

export function messagesFor(locale: string): Messages {
  return byLanguage[locale.toLowerCase().split('-')[0] ?? ''] ?? en;
}
