"""The false-variant engine (a pure library): table-driven operator cases and its guarantees."""

from __future__ import annotations

import random

import pytest

from app.perturb import Context, default_lexicon, generate, generate_many
from app.perturb.lexicon import words_of
from app.perturb.report import coverage
from app.perturb.text import Edit, apply_edits
from app.services.importer import parse_seed
from tests.conftest import SEED

SEED_DOC = parse_seed(SEED.read_bytes(), name=SEED.name)
SEED_TEXTS = [item.text for t in SEED_DOC.topics for s in t.subtopics for item in s.items]
SEED_CONTEXT = Context(topic_sentences=tuple(SEED_TEXTS))

# Sentences of other subjects, written for these tests; each is a topic context for the others.
LAW = (
    "O habeas corpus protege o direito de locomoção do indivíduo.",
    "A autarquia é uma pessoa jurídica de direito público criada por lei.",
    "O prazo para a impetração do mandado de segurança é de cento e vinte dias.",
    "O prazo prescricional é de cinco anos, contado da data do fato.",
    "Todos os servidores públicos estão sujeitos ao regime disciplinar.",
    "Nem todos os atos administrativos são passíveis de revogação.",
    "A administração pública pode revogar seus próprios atos por motivo de conveniência ou oportunidade.",
    "Não se admite a revogação de atos vinculados.",
    "A licitação é dispensável quando o valor do contrato for inferior ao limite legal.",
    "O orçamento público deve ser aprovado pelo Poder Legislativo antes do início do exercício.",
    "A terceira forma normal é um pré-requisito da forma normal de Boyce-Codd.",
)
SECURITY = (
    "O AES é um algoritmo de criptografia simétrica amplamente utilizado.",
    "A criptografia assimétrica utiliza um par de chaves, uma pública e outra privada.",
    "O firewall pode ser utilizado para filtrar o tráfego entre redes, como a internet e a rede interna.",
    "A norma ISO 27001 estabelece requisitos para sistemas de gestão de segurança da informação.",
    "O SHA-256 produz um resumo de 256 bits.",
    "Os vírus de computador se propagam anexando-se a outros programas.",
    "Alguns tipos de ataque exploram falhas humanas em vez de falhas técnicas.",
    "A maioria dos incidentes de segurança decorre de erro humano.",
    "O backup incremental copia apenas os arquivos alterados desde o último backup.",
)
DATABASES = (
    "A chave estrangeira garante a integridade referencial entre tabelas.",
    "O comando SELECT é utilizado para consultar dados em tabelas.",
    "A transação deve respeitar as propriedades de atomicidade, consistência, isolamento e durabilidade.",
    "O índice reduz o tempo de resposta das consultas, mas aumenta o custo das inserções.",
)
ADMINISTRATION = (
    "O planejamento estratégico é de longo prazo e abrange toda a organização.",
    "A liderança democrática estimula a participação dos subordinados nas decisões.",
    "O controle interno auxilia na prevenção de fraudes e desperdícios.",
    "A descentralização permite decisões mais rápidas nas unidades locais.",
    "Um dos objetivos principais do orçamento é o controle dos gastos.",
)
CONTEXTS = {name: Context(topic_sentences=texts) for name, texts in
            (("law", LAW), ("security", SECURITY), ("databases", DATABASES), ("administration", ADMINISTRATION))}


def variants_of(text: str, context: Context | None = None, seed: int = 0):
    """Every operator's variants, those below the precision floor included: the table tests grammar."""
    return generate(text, rng=random.Random(seed), context=context or SEED_CONTEXT, floor=False)


# (input, operator, expected variant). Every expected output was read and judged grammatical and
# false; the engine must produce it (among its candidates) from that input.
CASES = [
    # negation: insertion at the main verb, clitics, removal
    ("O MLOps desempenha um papel fundamental na implantação bem-sucedida de modelos de aprendizado de máquina "
     "em produção.", "negation",
     "O MLOps não desempenha um papel fundamental na implantação bem-sucedida de modelos de aprendizado de máquina "
     "em produção."),
    ("Para solucionar o desafio mencionado anteriormente, pode-se utilizar soluções de monitoramento contínuo de "
     "modelos e métricas de desempenho.", "negation",
     "Para solucionar o desafio mencionado anteriormente, não se pode utilizar soluções de monitoramento contínuo "
     "de modelos e métricas de desempenho."),
    ("Com a implementação de CI/CD, é possível garantir maior qualidade e estabilidade nas entregas de modelos de "
     "machine learning.", "negation",
     "Com a implementação de CI/CD, não é possível garantir maior qualidade e estabilidade nas entregas de modelos "
     "de machine learning."),
    ("A integração de ferramentas de CI/CD (Continuous Integration/Continuous Deployment) no fluxo de trabalho do "
     "MLOps impulsiona a eficiência do desenvolvimento e lançamento de modelos de machine learning.", "negation",
     "A integração de ferramentas de CI/CD (Continuous Integration/Continuous Deployment) no fluxo de trabalho do "
     "MLOps não impulsiona a eficiência do desenvolvimento e lançamento de modelos de machine learning."),
    ("A avaliação e validação sistemática dos modelos são princípios importantes do MLOps, garantindo a qualidade "
     "e a confiabilidade dos resultados gerados.", "trimmed_negation",
     "A avaliação e validação sistemática dos modelos não são princípios importantes do MLOps."),
    ("Os vírus de computador se propagam anexando-se a outros programas.", "negation",
     "Os vírus de computador não se propagam anexando-se a outros programas."),
    ("Não se admite a revogação de atos vinculados.", "negation", "Admite-se a revogação de atos vinculados."),
    ("A CI não é uma extensão da CD.", "negation", "A CI é uma extensão da CD."),
    ("A liderança democrática estimula a participação dos subordinados nas decisões.", "negation",
     "A liderança democrática não estimula a participação dos subordinados nas decisões."),
    ("A norma ISO 27001 estabelece requisitos para sistemas de gestão de segurança da informação.", "negation",
     "A norma ISO 27001 não estabelece requisitos para sistemas de gestão de segurança da informação."),
    # antonyms, with gender and number kept
    ("A aplicação de práticas de MLOps reduz o tempo de colocação de um modelo de machine learning em produção.",
     "antonym",
     "A aplicação de práticas de MLOps aumenta o tempo de colocação de um modelo de machine learning em produção."),
    ("O MLOps facilita a reproducibilidade de experimentos e a replicação dos resultados alcançados.", "antonym",
     "O MLOps dificulta a reproducibilidade de experimentos e a replicação dos resultados alcançados."),
    ("A adoção do MLOps permite a colaboração eficiente entre equipes de ciência de dados, desenvolvimento de "
     "software e operações.", "antonym",
     "A adoção do MLOps impede a colaboração eficiente entre equipes de ciência de dados, desenvolvimento de "
     "software e operações."),
    ("Para solucionar o desafio mencionado anteriormente, é necessário implementar métodos e técnicas para "
     "entender, explicar e validar os resultados dos modelos de machine learning.", "antonym",
     "Para solucionar o desafio mencionado anteriormente, é desnecessário implementar métodos e técnicas para "
     "entender, explicar e validar os resultados dos modelos de machine learning."),
    ("A entrega contínua (CD) é uma extensão da integração contínua, onde o código integrado é automaticamente "
     "compilado e testado, resultando em um ambiente de produção estável e confiável.", "antonym",
     "A entrega contínua (CD) é uma extensão da integração contínua, onde o código integrado é manualmente "
     "compilado e testado, resultando em um ambiente de produção estável e confiável."),
    ("No MLOps, o monitoramento inclui a coleta de métricas de desempenho do modelo, como acurácia, precisão e "
     "recall, para avaliar seu comportamento em produção.", "antonym",
     "No MLOps, o monitoramento exclui a coleta de métricas de desempenho do modelo, como acurácia, precisão e "
     "recall, para avaliar seu comportamento em produção."),
    # extrapolation
    ("A automação reduz o tempo necessário para realizar tarefas repetitivas e de rotina no MLOps.",
     "extrapolation",
     "A automação elimina completamente o tempo necessário para realizar tarefas repetitivas e de rotina no MLOps."),
    ("Um dos princípios fundamentais do MLOps é a automação, que visa acelerar e padronizar o ciclo de vida dos "
     "modelos de machine learning.", "extrapolation",
     "O único princípio fundamental do MLOps é a automação, que visa acelerar e padronizar o ciclo de vida dos "
     "modelos de machine learning."),
    ("Uma das etapas do processo de implantação do MLOps é o desenvolvimento de pipelines automatizados para "
     "treinamento e implantação de modelos.", "extrapolation",
     "A única etapa do processo de implantação do MLOps é o desenvolvimento de pipelines automatizados para "
     "treinamento e implantação de modelos."),
    ("O controle de versão de modelos de machine learning é facilitado pelo uso de ferramentas como Git.",
     "extrapolation",
     "O controle de versão de modelos de machine learning é facilitado exclusivamente pelo uso de ferramentas "
     "como Git."),
    ("O uso de pipelines de CI/CD é uma prática comum em MLOps, visando automatizar as etapas de integração, "
     "testes, treinamento e implantação de modelos.", "extrapolation",
     "O uso de pipelines de CI/CD é uma prática obrigatória em MLOps, visando automatizar as etapas de integração, "
     "testes, treinamento e implantação de modelos."),
    ("Um dos objetivos principais do orçamento é o controle dos gastos.", "extrapolation",
     "O único objetivo principal do orçamento é o controle dos gastos."),
    ("A implementação incorreta do MLOps pode levar a problemas de desempenho, falta de transparência e "
     "dificuldades na manutenção dos modelos de machine learning.", "extrapolation",
     "A implementação incorreta do MLOps leva necessariamente a problemas de desempenho, falta de transparência e "
     "dificuldades na manutenção dos modelos de machine learning."),
    # modality
    # list restriction (items kept, list made exhaustive)
    ("No MLOps, o monitoramento inclui a coleta de métricas de desempenho do modelo, como acurácia, precisão e "
     "recall, para avaliar seu comportamento em produção.", "list_restriction",
     "No MLOps, o monitoramento inclui a coleta de métricas de desempenho do modelo, quais sejam, acurácia, "
     "precisão e recall, para avaliar seu comportamento em produção."),
    ("O firewall pode ser utilizado para filtrar o tráfego entre redes, como a internet e a rede interna.",
     "list_restriction",
     "O firewall pode ser utilizado para filtrar o tráfego entre redes, quais sejam, a internet e a rede interna."),
    # concept swaps: lexicon classes (with acronyms and articles) and terms of the same topic
    ("A integração contínua (CI) é uma prática onde o código de um projeto em MLOps é integrado regularmente e de "
     "forma automatizada em um repositório compartilhado.", "concept_swap",
     "A entrega contínua (CD) é uma prática onde o código de um projeto em MLOps é integrado regularmente e de "
     "forma automatizada em um repositório compartilhado."),
    ("O controle de versão de modelos de machine learning é facilitado pelo uso de ferramentas como Git.",
     "concept_swap",
     "O controle de versão de modelos de machine learning é facilitado pelo uso de ferramentas como Jenkins."),
    ("O habeas corpus protege o direito de locomoção do indivíduo.", "concept_swap",
     "O mandado de segurança protege o direito de locomoção do indivíduo."),
    ("A chave estrangeira garante a integridade referencial entre tabelas.", "concept_swap",
     "A chave primária garante a integridade referencial entre tabelas."),
    ("A liderança democrática estimula a participação dos subordinados nas decisões.", "concept_swap",
     "A liderança autocrática estimula a participação dos subordinados nas decisões."),
    ("O comando SELECT é utilizado para consultar dados em tabelas.", "concept_swap",
     "O comando CREATE é utilizado para consultar dados em tabelas."),
    ("O backup incremental copia apenas os arquivos alterados desde o último backup.", "concept_swap",
     "O backup completo copia apenas os arquivos alterados desde o último backup."),
    ("A escalabilidade é um princípio do MLOps, permitindo lidar com volumes cada vez maiores de dados e "
     "solicitações em tempo real.", "concept_swap",
     "A reproducibilidade é um princípio do MLOps, permitindo lidar com volumes cada vez maiores de dados e "
     "solicitações em tempo real."),
    # Whoever holds the competence an opening "Cabe à" / "Compete à" names is what the item speaks of.
    ("Cabe à alta administração a elaboração do planejamento estratégico.", "concept_swap",
     "Cabe ao nível operacional a elaboração do planejamento estratégico."),
    ("Compete à direção municipal do SUS gerir e executar os serviços públicos de saúde.", "concept_swap",
     "Compete à direção nacional do SUS gerir e executar os serviços públicos de saúde."),
    # A hedge inside the reason (not the claim it justifies) is reversed: the reason becomes false.
    ("Os testes podem revelar a presença de defeitos, mas não garantem a sua ausência, visto que o teste "
     "exaustivo de um programa é, em regra, impraticável.", "hedge_reversal",
     "Os testes podem revelar a presença de defeitos, mas não garantem a sua ausência, visto que o teste "
     "exaustivo de um programa é, excepcionalmente, impraticável."),
    # A member of an open list is swapped for a term that lacks what the sentence predicates of them.
    ("Ferramentas como Terraform, Ansible e Puppet, entre outras, são utilizadas para automatizar o "
     "provisionamento da infraestrutura.", "concept_swap_paired",
     "Ferramentas como Terraform, Ansible e TensorFlow, entre outras, são utilizadas para automatizar o "
     "provisionamento da infraestrutura."),
    ("Algoritmos baseados em distância, como k-NN e k-means, são sensíveis à escala dos atributos.",
     "concept_swap_paired",
     "Algoritmos baseados em distância, como k-NN e Naive Bayes, são sensíveis à escala dos atributos."),
    # relation inversion, the acronym moving with its term
    ("A entrega contínua (CD) é uma extensão da integração contínua, onde o código integrado é automaticamente "
     "compilado e testado, resultando em um ambiente de produção estável e confiável.", "relation_inversion",
     "A integração contínua é uma extensão da entrega contínua (CD), onde o código integrado é automaticamente "
     "compilado e testado, resultando em um ambiente de produção estável e confiável."),
    ("A terceira forma normal é um pré-requisito da forma normal de Boyce-Codd.", "relation_inversion",
     "A forma normal de Boyce-Codd é um pré-requisito da terceira forma normal."),
    ("O planejamento tático depende do planejamento estratégico.", "relation_inversion",
     "O planejamento estratégico depende do planejamento tático."),
    # numbers: quantities change, identifiers stay
    ("O prazo prescricional é de cinco anos, contado da data do fato.", "numbers",
     "O prazo prescricional é de dois anos, contado da data do fato."),
    ("O servidor tem direito a 30 dias de férias por ano.", "numbers",
     "O servidor tem direito a 40 dias de férias por ano."),
    # quantifiers
    ("Nem todos os atos administrativos são passíveis de revogação.", "quantifiers",
     "Todos os atos administrativos são passíveis de revogação."),
    ("Todos os servidores públicos estão sujeitos ao regime disciplinar.", "quantifiers",
     "Apenas alguns dos servidores públicos estão sujeitos ao regime disciplinar."),
    ("Alguns tipos de ataque exploram falhas humanas em vez de falhas técnicas.", "quantifiers",
     "Todos os tipos de ataque exploram falhas humanas em vez de falhas técnicas."),
    ("A maioria dos incidentes de segurança decorre de erro humano.", "quantifiers",
     "A minoria dos incidentes de segurança decorre de erro humano."),
]


# Found by reading the variants of law sentences (after the first build): a participle is not the
# main verb, "-ai"/"-ui" forms are; "em regra, não" becomes "nunca".
CASES += [
    # Added with the evaluation corpus (eval/): each judged ok there.
    ("A memória RAM é volátil.", "antonym", "A memória RAM é persistente."),
    ("A assinatura digital utiliza a chave privada do signatário.", "negation",
     "A assinatura digital não utiliza a chave privada do signatário."),
    ("O prazo prescricional é de cinco anos, contado da data do fato.", "numbers",
     "O prazo prescricional é de dez anos, contado da data do fato."),
    ("Compete privativamente à União legislar sobre direito civil, comercial e penal.", "antonym",
     "Compete concorrentemente à União legislar sobre direito civil, comercial e penal."),
    ("O ato administrativo pode ser revogado por motivo de conveniência e oportunidade.", "modality",
     "O ato administrativo deve obrigatoriamente ser revogado por motivo de conveniência e oportunidade."),
    ("Todo servidor estável tem direito à disponibilidade remunerada quando seu cargo for extinto.", "quantifiers",
     "Nenhum servidor estável tem direito à disponibilidade remunerada quando seu cargo for extinto."),
    ("Em regra, na licitação, a fase de julgamento precede a de habilitação, admitindo-se a inversão mediante "
     "ato motivado.", "hedge_reversal",
     "Excepcionalmente, na licitação, a fase de julgamento precede a de habilitação, admitindo-se a inversão "
     "mediante ato motivado."),
    ("Diferentemente da anistia, concedida por lei editada pelo Congresso Nacional, o indulto é concedido por "
     "decreto do Presidente da República.", "trimmed_negation",
     "O indulto não é concedido por decreto do Presidente da República."),
    ("A assinatura digital garante a autenticidade e a integridade de um documento, mas não garante o sigilo.",
     "contrast_swap",
     "A assinatura digital não garante a autenticidade e a integridade de um documento, mas garante o sigilo."),
    ("A Constituição Federal distribui competências entre os entes federativos.", "negation",
     "A Constituição Federal não distribui competências entre os entes federativos."),
    ("O recurso administrativo, em regra, não tem efeito suspensivo.", "extrapolation",
     "O recurso administrativo nunca tem efeito suspensivo."),
    # The future tense is a verb form too: the negation of a negated sentence comes off.
    ("A lei não prejudicará o direito adquirido, o ato jurídico perfeito e a coisa julgada.", "negation",
     "A lei prejudicará o direito adquirido, o ato jurídico perfeito e a coisa julgada."),
    # A verb with its clitic is found as the main verb: proclisis after the negation.
    ("A LGPD aplica-se ao tratamento de dados pessoais realizado por pessoa natural ou jurídica.", "negation",
     "A LGPD não se aplica ao tratamento de dados pessoais realizado por pessoa natural ou jurídica."),
    # The main verb, not the verb of a clause opened by "quem".
    ("A matriz RACI indica quem é responsável, quem aprova, quem é consultado e quem é informado.", "negation",
     "A matriz RACI não indica quem é responsável, quem aprova, quem é consultado e quem é informado."),
    # An article opening the sentence is not a verb ("Não uma VPN cria ...").
    ("Uma VPN cria um túnel criptografado sobre uma rede pública.", "negation",
     "Uma VPN não cria um túnel criptografado sobre uma rede pública."),
    # The adverb of the replaced verb goes with it ("elimina completamente significativamente" is not
    # Portuguese); "cada" inside a modifier does not make the subject quantified.
    ("A utilização de senhas fortes, combinada com a autenticação em dois fatores, reduz significativamente o "
     "risco de acesso indevido.", "extrapolation",
     "A utilização de senhas fortes, combinada com a autenticação em dois fatores, elimina completamente o "
     "risco de acesso indevido."),
    # Pairs added after the review: CESPE's "privativa x concorrente", "vedado x permitido".
    ("Compete privativamente à União legislar sobre direito civil, comercial e penal.", "antonym",
     "Compete concorrentemente à União legislar sobre direito civil, comercial e penal."),
    ("É vedada a cassação de direitos políticos, cuja perda ou suspensão só se dará nos casos previstos na "
     "Constituição.", "antonym",
     "É permitida a cassação de direitos políticos, cuja perda ou suspensão só se dará nos casos previstos na "
     "Constituição."),
    # A number word agrees with the noun it counts.
]


# Connective reversals and the second-predicate negation (written for these tests, outside the
# evaluation corpus): a contrast made a likeness, a pair split, a concession made an exception, an
# exception denied, a comparison reversed, the second of two claims denied.
CASES += [
    ("Diferentemente do HTTP, o HTTPS cifra o tráfego entre o navegador e o servidor.", "likeness_swap",
     "Assim como o HTTP, o HTTPS cifra o tráfego entre o navegador e o servidor."),
    ("Diferentemente da RAM, que é volátil, a ROM preserva seu conteúdo quando o equipamento é desligado.",
     "likeness_swap", "Assim como a RAM, a ROM preserva seu conteúdo quando o equipamento é desligado."),
    ("O mandado de segurança protege direito líquido e certo, diferentemente do habeas corpus, que protege a "
     "liberdade de locomoção.", "likeness_swap",
     "O mandado de segurança protege direito líquido e certo, assim como o habeas corpus."),
    ("O princípio da publicidade aplica-se tanto à administração direta quanto à indireta.", "correlative_split",
     "O princípio da publicidade aplica-se à administração direta, mas não à indireta."),
    ("A administração pode anular seus próprios atos ilegais, ainda que deles decorram efeitos favoráveis.",
     "concession_reversal",
     "A administração pode anular seus próprios atos ilegais, a menos que deles decorram efeitos favoráveis."),
    ("A imunidade recíproca alcança as autarquias, ainda que criadas após a Constituição.", "concession_reversal",
     "A imunidade recíproca alcança as autarquias, exceto quando criadas após a Constituição."),
    ("O recurso hierárquico tem efeito devolutivo, salvo disposição legal em contrário.", "exception_denial",
     "O recurso hierárquico tem efeito devolutivo em todos os casos."),
    ("O contrato administrativo não pode ser prorrogado, salvo nas hipóteses previstas em lei.", "exception_denial",
     "O contrato administrativo não pode ser prorrogado em caso algum."),
    # An exception of a member brings the member back in ("nem mesmo" after a negative rule).
    ("As funções de agregação ignoram os valores nulos, exceto COUNT(*), que conta todas as linhas.",
     "exception_denial", "As funções de agregação ignoram os valores nulos, inclusive COUNT(*)."),
    ("Nenhum servidor será removido, salvo o ocupante de cargo em comissão, sem prévia motivação.",
     "exception_denial", "Nenhum servidor será removido, nem mesmo o ocupante de cargo em comissão, sem prévia "
     "motivação."),
    ("O algoritmo RSA é mais lento que o AES.", "comparative_reversal", "O algoritmo RSA é menos lento que o AES."),
    ("O hipervisor aloca memória às máquinas virtuais e gerencia o acesso ao processador.", "coordinated_negation",
     "O hipervisor aloca memória às máquinas virtuais e não gerencia o acesso ao processador."),
    # The two things a contrast opposes exchange their predicates; a list whose order the
    # sentence asserts has two members exchanged.
    ("O hub repete os sinais para todas as portas, enquanto o switch encaminha cada quadro à porta de destino.",
     "role_swap",
     "O switch repete os sinais para todas as portas, enquanto o hub encaminha cada quadro à porta de destino."),
    ("No processo civil, a petição inicial abre a fase postulatória, ao passo que a sentença encerra a fase "
     "de conhecimento.", "role_swap",
     "No processo civil, a sentença abre a fase postulatória, ao passo que a petição inicial encerra a fase "
     "de conhecimento."),
    ("Os comandos COMMIT e ROLLBACK, respectivamente, confirmam e desfazem as alterações de uma transação.",
     "order_swap",
     "Os comandos ROLLBACK e COMMIT, respectivamente, confirmam e desfazem as alterações de uma transação."),
    ("Na comunicação por TCP, as mensagens de abertura de conexão são, nessa ordem, SYN, SYN-ACK e ACK.",
     "order_swap", "Na comunicação por TCP, as mensagens de abertura de conexão são, nessa ordem, SYN-ACK, SYN e ACK."),
    # Before and after reversed; a restriction replaced by the denial of the case it names.
    ("O recurso deve ser interposto no prazo de dez dias antes da sessão de julgamento.", "sequence_reversal",
     "O recurso deve ser interposto no prazo de dez dias após a sessão de julgamento."),
    ("O Senado Federal aprecia a indicação após a sabatina do candidato.", "sequence_reversal",
     "O Senado Federal aprecia a indicação antes da sabatina do candidato."),
    ("O mandado de injunção só é cabível na falta de norma regulamentadora.", "restriction_denial",
     "O mandado de injunção não é cabível na falta de norma regulamentadora."),
    ("O backup diferencial copia apenas os arquivos alterados desde o último backup completo.",
     "restriction_denial",
     "O backup diferencial não copia os arquivos alterados desde o último backup completo."),
    ("A Constituição não admite a pena de morte nem a prisão perpétua em tempo de paz.", "neither_affirmation",
     "A Constituição admite a pena de morte e a prisão perpétua em tempo de paz."),
    # The term a definition defines is swapped even where the topic names no other of its group.
    ("Denomina-se overfitting o ajuste excessivo do modelo aos dados de treinamento.", "concept_swap",
     "Denomina-se underfitting o ajuste excessivo do modelo aos dados de treinamento."),
    # A count beside a list of another length, or beside clauses set off by commas, is no count of them.
    ("O ITIL 4 define sete princípios orientadores, entre os quais foco no valor e começar de onde você está.",
     "numbers", "O ITIL 4 define dez princípios orientadores, entre os quais foco no valor e começar de onde você "
     "está."),
    # A term of the other gender where only the article before it agrees with it.
    ("A execução da despesa pública passa pelo empenho, pela liquidação e pelo pagamento.", "concept_swap_paired",
     "A execução da despesa pública passa pela arrecadação, pela liquidação e pelo pagamento."),
    # Compound numerals change as a whole; floors, like caps, are raised.
    ("O prazo para a impetração do mandado de segurança é de cento e vinte dias.", "numbers",
     "O prazo para a impetração do mandado de segurança é de cento e cinquenta dias."),
    ("Para concorrer ao Senado Federal, exige-se a idade de trinta e cinco anos.", "numbers",
     "Para concorrer ao Senado Federal, exige-se a idade de trinta anos."),
    ("Os recursos devem ser aplicados, pelo menos setenta por cento, em ações de atenção básica.", "numbers",
     "Os recursos devem ser aplicados, pelo menos noventa por cento, em ações de atenção básica."),
    ("Os contratos podem ser celebrados com prazo mínimo de pelo menos cinco anos.", "numbers",
     "Os contratos podem ser celebrados com prazo mínimo de pelo menos dez anos."),
    ("Os menores de dezoito anos são penalmente inimputáveis.", "numbers",
     "Os menores de vinte anos são penalmente inimputáveis."),
    ("O voto é facultativo para os maiores de setenta anos.", "numbers",
     "O voto é facultativo para os maiores de cinquenta e cinco anos."),
    ("O edital do concurso prevê duzentas vagas para o cargo.", "numbers",
     "O edital do concurso prevê duzentas e cinquenta vagas para o cargo."),
    # Quantities of different things, with nothing tying them, are independent facts.
    ("A comissão é composta por cinco membros titulares e três suplentes.", "numbers",
     "A comissão é composta por dez membros titulares e três suplentes."),
    # ... and so is one thing counted in two clauses of their own.
    ("A posse ocorrerá no prazo de trinta dias, e o exercício, no prazo de quinze dias.", "numbers",
     "A posse ocorrerá no prazo de trinta dias, e o exercício, no prazo de vinte dias."),
    # An upper limit stated as a prohibition is only lowered ("não pode ser superior a cinquenta
    # anos" is implied by the true limit).
    ("O tempo de cumprimento das penas privativas de liberdade não pode ser superior a quarenta anos.", "numbers",
     "O tempo de cumprimento das penas privativas de liberdade não pode ser superior a trinta anos."),
    # Two opposites (or the two sides of one distinction) predicated of two things change places;
    # so do the two poles of "A, e não B".
    ("O alistamento eleitoral e o voto são obrigatórios para os maiores de dezoito anos e facultativos para os "
     "analfabetos.", "pair_exchange",
     "O alistamento eleitoral e o voto são facultativos para os maiores de dezoito anos e obrigatórios para os "
     "analfabetos."),
    ("Segundo a LAI, o acesso à informação é a regra, e o sigilo, a exceção.", "pair_exchange",
     "Segundo a LAI, o acesso à informação é a exceção, e o sigilo, a regra."),
    ("O sujeito passivo diz-se contribuinte quando tem relação pessoal e direta com o fato gerador, e responsável "
     "quando sua obrigação decorre de disposição expressa de lei.", "pair_exchange",
     "O sujeito passivo diz-se responsável quando tem relação pessoal e direta com o fato gerador, e contribuinte "
     "quando sua obrigação decorre de disposição expressa de lei."),
    ("A ação de indenização deve ser ajuizada contra o Estado, e não contra o agente.", "pair_exchange",
     "A ação de indenização deve ser ajuizada contra o agente, e não contra o Estado."),
    ("A obrigação acessória, pelo simples fato de sua inobservância, converte-se em obrigação principal "
     "relativamente à penalidade pecuniária.", "pair_exchange",
     "A obrigação principal, pelo simples fato de sua inobservância, converte-se em obrigação acessória "
     "relativamente à penalidade pecuniária."),
    # A phrase after the verb is swapped for the term with its head noun and the other modifier,
    # with no other term of its group in the topic.
    ("O recurso hierárquico, em regra, não tem efeito suspensivo.", "concept_swap_predicate",
     "O recurso hierárquico, em regra, não tem efeito devolutivo."),
    # A common word is swapped where the sentence names its group's kind of thing (group_anchors.tsv).
    ("A descentralização transfere competências de uma pessoa jurídica para outra.", "concept_swap",
     "A desconcentração transfere competências de uma pessoa jurídica para outra."),
    ("Se o fato é cometido sob coação irresistível, só é punível o autor da coação.", "concept_swap",
     "Se o fato é cometido sob coação resistível, só é punível o autor da coação."),
    ("A casa é asilo inviolável do indivíduo, podendo-se nela penetrar, durante o dia, por determinação "
     "judicial.", "concept_swap_predicate",
     "A casa é asilo inviolável do indivíduo, podendo-se nela penetrar, durante a noite, por determinação "
     "judicial."),
    ("O tributo é cobrado mediante atividade administrativa plenamente vinculada.", "concept_swap_predicate",
     "O tributo é cobrado mediante atividade administrativa discricionária."),
    # A bare subject defined by a noun phrase takes a term of the other gender: what follows agrees
    # with the noun phrase.
    ("Imposto é o tributo cuja obrigação tem por fato gerador uma situação independente de qualquer atividade "
     "estatal específica, relativa ao contribuinte.", "concept_swap",
     "Taxa é o tributo cuja obrigação tem por fato gerador uma situação independente de qualquer atividade "
     "estatal específica, relativa ao contribuinte."),
    # "conforme a LRF" names the source of the claim, like "segundo": it is no condition.
    ("Nenhum benefício da seguridade social poderá ser criado sem a indicação da fonte de custeio total, conforme "
     "a LRF.", "quantifiers",
     "Todo benefício da seguridade social poderá ser criado sem a indicação da fonte de custeio total, conforme "
     "a LRF."),
]


def _context_for(text: str) -> Context:
    for name, texts in (("law", LAW), ("security", SECURITY), ("databases", DATABASES),
                        ("administration", ADMINISTRATION)):
        if text in texts:
            return CONTEXTS[name]
    return SEED_CONTEXT


def test_the_table_has_at_least_60_cases_over_every_operator():
    assert len(CASES) >= 60
    assert {op for _, op, _ in CASES} == {
        "negation", "antonym", "extrapolation", "modality", "list_restriction", "concept_swap",
        "relation_inversion", "numbers", "quantifiers", "trimmed_negation", "contrast_swap", "hedge_reversal",
        "likeness_swap", "correlative_split", "concession_reversal", "exception_denial", "comparative_reversal",
        "coordinated_negation", "role_swap", "order_swap", "sequence_reversal", "restriction_denial",
        "neither_affirmation", "concept_swap_paired", "concept_swap_predicate", "pair_exchange",
    }


@pytest.mark.parametrize(("text", "operator", "expected"), CASES, ids=[f"{op}-{i}" for i, (_, op, _) in
                                                                      enumerate(CASES)])
def test_operator_produces_the_expected_variant(text, operator, expected):
    # Swaps and numbers pick their replacement with the seeded rng: any of a few seeds may be it.
    variants = [v for seed in range(24) for v in variants_of(text, _context_for(text), seed=seed)]
    produced = {(v.operator, v.text) for v in variants}
    assert (operator, expected) in produced, "\n".join(f"{v.operator}: {v.text}" for v in variants)


# (input, fragment): no variant of the input may contain the fragment.
MUST_NOT_PRODUCE = [
    # A swap never brings in a term whose acronym the sentence already names: the same thing twice.
    ("Uma relação está na terceira forma normal (3FN) quando está na 2FN e nenhum atributo não chave depende "
     "transitivamente da chave primária.", "(2FN) quando está na 2FN"),
    # A swap never makes the sentence name itself ("Ativo ... nos ativos") or contradict a mention
    # of the same concept in another word ("DHCP ... DHCPDISCOVER").
    ("Patrimônio líquido é a participação residual nos ativos da entidade após a dedução de todos os seus "
     "passivos.", "Ativo é"),
    ("As mensagens trocadas na obtenção de um endereço por meio do DHCP são DHCPDISCOVER, DHCPOFFER, "
     "DHCPREQUEST e DHCPACK.", "por meio do POP3"),
    # A term named by its acronym is left whole: "serviço centralizado (DDoS)" contradicts the acronym.
    ("Um ataque de negação de serviço distribuído (DDoS) busca tornar indisponível um serviço.", "centralizado"),
    # A swap never lands on a term with the same value of the facet the sentence speaks of: both
    # annulment and convalidation act retroactively.
    ("A anulação do ato ilegal produz efeitos retroativos.", "convalidação"),
    # ... nor on a synonym of a term already there ("a confidencialidade, mas não o sigilo").
    ("A assinatura digital garante a autenticidade e a integridade de um documento, mas não garante o seu "
     "sigilo.", "confidencialidade"),
    # ... nor on a term with the same value of the facet: a signature gives non-repudiation too.
    ("A assinatura digital garante a autenticidade e a integridade de um documento, mas não garante o seu "
     "sigilo.", "irretratabilidade"),
    # Swaps keep the gender: "a ação popular" for "o mandado de segurança" breaks later agreement.
    ("O mandado de segurança é concedido para proteger direito líquido e certo.", "ação popular"),
    # "alguns de seus princípios" -> "todos os de seus princípios" is broken.
    ("A administração gerencial conserva alguns de seus princípios.", "todos os de"),
    # The verb of a relative clause is not the main verb: "algo que o usuário não possui".
    ("A autenticação multifator combina fatores de categorias distintas, tais como algo que o usuário sabe e "
     "algo que o usuário possui.", "usuário não possui"),
    # "não" before a participle after "salvo" is not a negation of the claim, and reads badly.
    ("O direito da administração de anular atos de que decorram efeitos favoráveis aos destinatários decai em "
     "cinco anos, salvo comprovada má-fé.", "salvo não comprovada"),
    # "X, sempre, não tem Y" is stilted; "X nunca tem Y" says it.
    ("O recurso administrativo, em regra, não tem efeito suspensivo.", "sempre, não"),
    ("O ciclo PDCA é composto por quatro etapas: planejar, executar, verificar e agir.", "dois etapas"),
    # "separar X de Y" -> "integrar X de Y" breaks the verb's preposition; fixed phrases stay.
    ("O COBIT separa a governança da gestão de TI.", "integra a governança"),
    ("O gerenciamento de incidentes tem como objetivo restaurar a operação normal do serviço o mais rápido "
     "possível.", "mais lento possível"),
    ("Um problema é a causa de um ou mais incidentes.", "um ou menos"),
    # A term of the other gender as a subject, or before an adjective: more than the article would
    # have to agree.
    ("O empenho, a liquidação e o pagamento são os estágios da despesa.", "A arrecadação, a liquidação"),
    ("A despesa passa pelo empenho prévio, pela liquidação e pelo pagamento.", "pela arrecadação prévio"),
    # A compound numeral changes as a whole, never one word of it ("cento e quarenta"); a floor
    # is only ever raised ("pelo menos dois anos" stays within "pelo menos cinco").
    ("O prazo para a impetração do mandado de segurança é de cento e vinte dias.", "cento e quarenta"),
    ("O prazo para a impetração do mandado de segurança é de cento e vinte dias.", "cento e dez"),
    ("O prazo para a impetração do mandado de segurança é de cento e vinte dias.", "duzentos e vinte"),
    ("Os contratos podem ser celebrados com prazo mínimo de pelo menos cinco anos.", "pelo menos dois anos"),
    # A class bounded from above is only widened, one bounded from below only widened downwards:
    # the other way names a part of the class, of which the claim stays true.
    ("Os menores de dezoito anos são penalmente inimputáveis.", "menores de quinze"),
    ("O voto é facultativo para os maiores de setenta anos.", "maiores de noventa"),
    # A command word inside a longer command is not swapped on its own.
    ("O comando DELETE remove linhas de uma tabela, enquanto o DROP TABLE remove a própria tabela.",
     "SELECT TABLE"),
    ("O comando DELETE remove linhas de uma tabela, enquanto o DROP TABLE remove a própria tabela.",
     "GRANT TABLE"),
    # A value the sentence repeats is tied ("95% dos casos ... 95% de acurácia"), and a floor between
    # commas is only raised.
    ("Um classificador que sempre prevê a classe presente em 95% dos casos, obtém 95% de acurácia.", "75%"),
    ("O cabeçalho do TCP tem, no mínimo, 20 bytes, e o do UDP, 8 bytes.", "no mínimo, 10 bytes"),
    ("O tempo de cumprimento das penas privativas de liberdade não pode ser superior a quarenta anos.",
     "cinquenta anos"),
    # "durante a noite" is swapped only where the sentence speaks of the home (group_anchors.tsv).
    ("Recomenda-se executar o backup completo durante a noite, fora do horário de expediente.", "durante o dia"),
    # Free float never exceeds total float: on the critical path both are zero.
    ("Em regra, todas as atividades do caminho crítico apresentam folga total igual a zero.", "folga livre"),
    # A term the sentence defines ("isto é, ...") is not swapped for its minimal-pair partner.
    ("No nível READ UNCOMMITTED, podem ocorrer leituras sujas, isto é, leituras de dados não confirmados.",
     "leituras fantasmas, isto é"),
    # A common word anchored by its group's words is swapped only as a noun, not as an adjective.
    ("O servidor ativo zela pelos bens e direitos controlados pela entidade.", "servidor passivo"),
    # The state direction of the SUS runs services too, in a supplementary way: only the national one
    # makes "gerir e executar os serviços" false.
    ("Compete à direção municipal do SUS gerir e executar os serviços públicos de saúde.", "direção estadual"),
    # A lower-case term put where an acronym was keeps its case.
    ("Os ataques DDoS visam tornar um serviço indisponível.", "ataques Sniffing"),
    # An investment past one fiscal year must be in the LOA too (CF, art. 167, I): only the LDO is false.
    ("Nenhum investimento cuja execução ultrapasse um exercício financeiro poderá ser iniciado sem prévia "
     "inclusão no plano plurianual.", "na LOA"),
    # ... never for another member, nor for one whose property is disputed or unknown.
    ("Ferramentas como Terraform, Ansible e Puppet, entre outras, são utilizadas para automatizar o "
     "provisionamento da infraestrutura.", "Chef"),
    ("Ferramentas como Terraform, Ansible e Puppet, entre outras, são utilizadas para automatizar o "
     "provisionamento da infraestrutura.", "Jenkins"),
    ("Algoritmos baseados em distância, como k-NN e k-means, são sensíveis à escala dos atributos.",
     "análise de componentes principais"),
    ("O WAF protege aplicações web contra ataques XSS e SQL injection.", "XSS e Man-in-the-middle"),
    # Of two values the median is their mean, and the mode of two values is no measure at all.
    ("A medida F1 corresponde à média harmônica entre a precisão e a revocação, sendo, por isso, mais sensível "
     "ao menor desses dois valores do que a média aritmética.", "do que a mediana"),
    ("A medida F1 corresponde à média harmônica entre a precisão e a revocação, sendo, por isso, mais sensível "
     "ao menor desses dois valores do que a média aritmética.", "do que a moda"),
]


@pytest.mark.parametrize(("text", "fragment"), MUST_NOT_PRODUCE)
def test_no_variant_contains_a_known_bad_construction(text, fragment):
    variants = [v for seed in range(6) for v in variants_of(text, _context_for(text), seed=seed)]
    assert variants, "the input should still get variants"
    assert not [v.text for v in variants if fragment in v.text]


# Inputs where an operator must NOT act: it would make a true sentence, nonsense, or an ambiguity.
MUST_NOT = [
    # A rule with an exception or a hedge is not negated bare: it does have exceptions.
    ("A chave estrangeira pode assumir valores nulos, desde que o modelo permita.", "trimmed_negation"),
    ("O direito da administração de anular atos de que decorram efeitos favoráveis aos destinatários decai em "
     "cinco anos, salvo comprovada má-fé.", "trimmed_negation"),
    # Over a negated claim, "excepcionalmente" reads as "this is the exception"; a cleft stays whole.
    ("Em regra, terrenos não são depreciados, pois têm vida útil ilimitada.", "hedge_reversal"),
    ("Somente quando as necessidades inferiores estão satisfeitas é que as superiores passam a dominar.",
     "negation"),
    # Antonyms flip the claim only: not an attributive adjective ("implementação inadequada",
    # "algoritmo de criptografia assimétrica"), not a purpose ("destinada a expor"), not a claim
    # justified or conceded by another clause.
    ("A implementação adequada do MLOps garante a estabilidade e a escalabilidade dos sistemas.", "antonym"),
    ("O AES é um algoritmo de criptografia simétrica amplamente utilizado.", "antonym"),
    ("O habeas corpus é a ação destinada a proteger a liberdade de locomoção.", "antonym"),
    ("A normalização reduz a redundância de dados, embora possa aumentar o número de junções.", "antonym"),
    # Negation leaves a justified, hedged or duty claim, and a claim spelled out after a colon.
    ("A FNBC é mais restritiva que a 3FN, pois exige que todo determinante seja uma superchave.", "negation"),
    ("O recurso administrativo, em regra, tem efeito devolutivo.", "negation"),
    ("O orçamento deve ser elaborado com base em estimativas realistas de receitas e despesas.", "negation"),
    ("O modelo OSI é composto por sete camadas: física, enlace, rede, transporte, sessão, apresentação e "
     "aplicação.", "negation"),
    # Numbers that are bounds, counts of a list, named in a term or tied to another quantity.
    ("O ciclo PDCA é composto por quatro etapas: planejar, executar, verificar e agir.", "numbers"),
    ("O SHA-256 gera um resumo de 256 bits.", "numbers"),
    ("Uma sub-rede com máscara /26 dispõe de 64 endereços, dos quais 62 podem ser atribuídos a hosts.", "numbers"),
    # A quantifier flipped under an exception: "Todo brasileiro será extraditado, salvo ..." is absurd.
    ("Nenhum brasileiro será extraditado, salvo o naturalizado.", "quantifiers"),
    # A capability is not a permission: a duty given to an index is nonsense.
    ("Os índices podem acelerar as consultas ao banco de dados.", "modality"),
    # "só perderão" -> "só não perderão" says something else; "servidores instáveis" is nonsense
    # ("estável" -> "instável" only after a copula: "o sistema é instável").
    ("Os servidores públicos estáveis só perderão o cargo em virtude de sentença judicial transitada em "
     "julgado.", "negation"),
    ("Os servidores públicos estáveis só perderão o cargo em virtude de sentença judicial transitada em "
     "julgado.", "antonym"),
    ("O servidor estável só perde o cargo em virtude de sentença judicial transitada em julgado.", "negation"),
    # "exclusivamente pela administração" can stay true (only it may alter a contract unilaterally).
    ("Os contratos administrativos podem ser alterados unilateralmente pela administração.", "extrapolation"),
    # "ainda não é" means "not yet": a temporal claim, not the negation of this one.
    ("A computação quântica ainda é pouco utilizada em aplicações comerciais.", "negation"),
    # "exclusivamente" before any "pelo/pela X" can stay true: only before a means ("pelo uso de").
    ("O ativo representa os bens e direitos controlados pela entidade.", "extrapolation"),
    ("A despesa pública passa pelos estágios de empenho, liquidação e pagamento.", "extrapolation"),
    # A quantified subject after an opening phrase is still ambiguous under "não".
    ("Em uma árvore B, todas as folhas estão no mesmo nível.", "negation"),
    # "Alguns X não ..." can stay true; "Todos os X não ..." is ambiguous.
    ("Alguns tipos de ataque exploram falhas humanas em vez de falhas técnicas.", "negation"),
    ("Todos os servidores públicos estão sujeitos ao regime disciplinar.", "negation"),
    # Sentences with "nem"/"sem": an added "não" would stack or blur.
    ("Nem todos os atos administrativos são passíveis de revogação.", "negation"),
    ("O sistema funciona sem interrupções durante a manutenção.", "negation"),
    # Identifiers are not numbers.
    ("A norma ISO 27001 estabelece requisitos para sistemas de gestão de segurança da informação.", "numbers"),
    # Quantities tied by a relation word, counting the same thing, or elided ("de 128, 192 ou 256").
    ("Uma sub-rede com máscara /26 dispõe de 64 endereços, dos quais 62 são utilizáveis por hosts.", "numbers"),
    ("O algoritmo opera com blocos de 128 bits e admite chaves de 128, 192 ou 256 bits.", "numbers"),
    ("O voto é facultativo para os maiores de dezesseis e menores de dezoito anos.", "numbers"),
    # A generic count opening the sentence; a number inside a technique's name; a count of a list
    # whose items carry parenthesised acronyms.
    ("Dois conjuntos são disjuntos quando não têm elementos em comum.", "numbers"),
    ("A autenticação em dois fatores reduz o risco de acesso indevido às contas.", "numbers"),
    ("A equipe reúne um Scrum Master, um Product Owner (PO) e desenvolvedores, sendo essas as três "
     "responsabilidades.", "numbers"),
    # A count of the list the sentence gives.
    ("A equipe reúne um Scrum Master, um Product Owner e desenvolvedores, sendo essas as três responsabilidades.",
     "numbers"),
    # "exclusivamente" is not added to definitions, nor where an institution acts alone.
    ("O MLOps é uma abordagem que visa integrar práticas de desenvolvimento e operações para garantir a "
     "implementação eficiente de sistemas de aprendizado de máquina.", "extrapolation"),
    ("O orçamento público deve ser aprovado pelo Poder Legislativo antes do início do exercício.", "extrapolation"),
    # A one-item "como" is an example, not a list.
    ("O uso de ferramentas de automação de testes, como o Jenkins, auxilia na verificação da integridade e "
     "desempenho dos modelos após sua implantação no MLOps.", "list_restriction"),
]

MUST_NOT += [
    # A comparative in the claim is measured against the contrasted thing: a likeness contradicts it.
    ("Diferentemente do HDD, o SSD oferece acesso mais rápido aos dados.", "likeness_swap"),
    # A split subject would need the verb's agreement changed; "tanto quanto" is "as much as".
    ("Tanto o firewall quanto o IDS contribuem para a segurança da rede.", "correlative_split"),
    ("O gestor deve reduzir tanto quanto possível os riscos do projeto.", "correlative_split"),
    # A concession beside another exception would argue with the reversed one.
    ("O tributo é devido, ainda que o contribuinte o desconheça, salvo disposição em contrário.",
     "concession_reversal"),
    # A parenthetical exception inside the rule has no known end; beside a hedge, the denial
    # collides with it.
    ("Qualquer cidadão pode propor ação popular, ficando o autor, salvo comprovada má-fé, isento de custas.",
     "exception_denial"),
    ("O recurso, em regra, tem efeito devolutivo, salvo disposição legal em contrário.", "exception_denial"),
    # "embora" before a clause states a background fact, not a case of the rule.
    ("A normalização reduz a redundância de dados, embora possa aumentar o número de junções.",
     "concession_reversal"),
    # A justified comparison: the reason would argue for the original.
    ("O SSD é mais rápido que o HDD, razão pela qual é preferido em servidores.", "comparative_reversal"),
    # The second verb of a relative clause, and a noun after "e", are not a second claim of the subject.
    ("O DNS é um serviço que traduz nomes de domínio e utiliza a porta 53.", "coordinated_negation"),
    ("A automação facilita a integração contínua e entrega contínua no MLOps.", "coordinated_negation"),
    # "enquanto" of time, not of contrast; a thing that refers back; things whose articles differ
    # (the verbs and adjectives would no longer agree).
    ("O servidor investido em mandato eletivo permanece afastado do cargo, enquanto o mandato durar.", "role_swap"),
    ("Os prazos processuais ficam suspensos, enquanto os autos permanecerem conclusos.", "role_swap"),
    ("O ARP descobre o endereço MAC de um IPv4, ao passo que, no IPv6, essa função cabe ao NDP.", "role_swap"),
    ("O TCP confirma a entrega dos segmentos, enquanto os protocolos de melhor esforço não a confirmam.",
     "role_swap"),
    # No order asserted: the list is a plain enumeration.
    ("Os comandos GRANT e REVOKE controlam os privilégios de acesso.", "order_swap"),
    # Inside the subject "após" names a thing; two such phrases state a sequence; a participle after
    # "após" has no "antes de" form.
    ("A manutenção após a implantação do sistema exige monitoramento contínuo.", "sequence_reversal"),
    ("O servidor é nomeado antes da posse e entra em exercício após a posse.", "sequence_reversal"),
    ("O usuário, após autenticado, acessa os recursos autorizados.", "sequence_reversal"),
    # An order advised without a deadline: the other order may be good practice too.
    ("Recomenda-se validar os dados antes de carregá-los no data warehouse.", "sequence_reversal"),
    # "nem mesmo" is not a second denied thing; two negative words blur the affirmation.
    ("O servidor não pode ser removido nem mesmo a pedido.", "neither_affirmation"),
    ("O regulamento não admite prorrogação nem suspensão sem motivação.", "neither_affirmation"),
    # A restriction away from the main verb, or inside a negated claim ("não depende apenas").
    ("A confidencialidade garante que a informação seja acessível somente a pessoas autorizadas.",
     "restriction_denial"),
    ("A produtividade não depende apenas das condições físicas de trabalho.", "restriction_denial"),
    # Opposites coordinated as one phrase, or joined by "entre", exchanged say the same thing.
    ("É vedada a participação direta ou indireta de empresas estrangeiras na assistência à saúde.",
     "pair_exchange"),
    ("O patrimonialismo caracteriza-se pela confusão entre o patrimônio público e o privado, o que favorece "
     "o nepotismo.", "pair_exchange"),
    ("As pessoas jurídicas de direito público e as de direito privado prestadoras de serviços públicos "
     "responderão pelos danos que seus agentes causarem.", "pair_exchange"),
    # "A, e não B" with a clause for a pole.
    ("O k-NN classifica uma instância pelos vizinhos mais próximos, e não constrói um modelo explícito.",
     "pair_exchange"),
    # Two terms of a symmetric relation, a term with a modifier of its own, a term inside a longer
    # name: exchanged, the same claim, or nonsense.
    ("Na distribuição de Poisson, a média é igual à variância.", "pair_exchange"),
    ("Na composição, a parte não existe sem o todo, ao passo que, na agregação simples, a parte existe "
     "independentemente do todo.", "pair_exchange"),
    ("O comando DELETE remove linhas de uma tabela, enquanto o DROP TABLE remove a própria tabela.",
     "pair_exchange"),
    # "conforme" as a condition still ties the claim to it.
    ("Todos os líderes adaptam o estilo conforme a maturidade da equipe.", "quantifiers"),
    # A hedge of the claim a reason justifies stays: the reason would argue for the rule.
    ("Os algoritmos simétricos são, em regra, mais rápidos que os assimétricos, razão pela qual são preferidos "
     "para cifrar grandes volumes de dados.", "hedge_reversal"),
    # An open list whose sentence predicates no facet: another member may belong to it too.
    ("Ferramentas como Terraform, Ansible e Puppet, entre outras, são amplamente adotadas.", "concept_swap_paired"),
    # A botnet serves phishing, brute force and almost any attack: another attack stays true or arguable.
    ("Os dispositivos infectados passam a integrar uma botnet empregada em ataques DDoS.", "concept_swap"),
]


@pytest.mark.parametrize(("text", "operator"), MUST_NOT)
def test_operator_stays_out_where_the_result_would_be_true_or_ambiguous(text, operator):
    assert operator not in {v.operator for v in variants_of(text, _context_for(text))}


@pytest.mark.parametrize("seed", range(5))
def test_a_cap_is_only_ever_raised(seed):
    """"prazo de até dois anos" would stay within the true "até cinco anos": a cap goes up only."""
    text = "Os contratos podem ser celebrados com prazo de até cinco anos."
    numbers = [v for v in variants_of(text, seed=seed) if v.operator == "numbers"]
    assert numbers, "the cap should be changed"
    for v in numbers:
        assert any(f"até {word} anos" in v.text for word in ("dez", "sete", "seis", "oito")), v.text


def test_contrast_swap_moves_the_negation_to_the_other_pole():
    cases = {
        "O Poder Judiciário pode anular atos administrativos ilegais, mas não pode revogá-los por critérios de mérito.":
            "O Poder Judiciário não pode anular atos administrativos ilegais, mas pode revogá-los por critérios "
            "de mérito.",
        "O IPI não se sujeita à anterioridade do exercício financeiro, mas deve observar a anterioridade nonagesimal.":
            "O IPI se sujeita à anterioridade do exercício financeiro, mas não deve observar a anterioridade "
            "nonagesimal.",
        "Somar uma constante a todos os valores altera a média, mas não altera a variância nem o desvio padrão.":
            "Somar uma constante a todos os valores não altera a média, mas altera a variância e o desvio padrão.",
    }
    for text, expected in cases.items():
        assert expected in {v.text for v in variants_of(text) if v.operator == "contrast_swap"}, text
    # A justification would argue for the original poles; a coordinated verb would escape the "não".
    for text in ("Os testes podem revelar defeitos, mas não garantem sua ausência, visto que o teste exaustivo é "
                 "impraticável.",
                 "O consumidor pode provisionar redes e controla aplicações, mas não gerencia a infraestrutura."):
        assert "contrast_swap" not in {v.operator for v in variants_of(text)}, text


def test_hedge_reversal_turns_a_rule_into_an_exception():
    assert "Switches operam, excepcionalmente, na camada de enlace." in {
        v.text for v in variants_of("Switches operam, em regra, na camada de enlace.")}
    assert "A criptografia assimétrica é raramente mais lenta que a simétrica." in {
        v.text for v in variants_of("A criptografia assimétrica é geralmente mais lenta que a simétrica.")}
    # "excepcionalmente rápido" is an intensifier: never written inside a clause.
    assert not [v for v in variants_of("O algoritmo é excepcionalmente rápido em dados ordenados.")
                if v.operator == "hedge_reversal"]


def test_fixed_expressions_and_back_references_are_never_edited():
    for text in SEED_TEXTS + list(LAW + SECURITY + DATABASES + ADMINISTRATION):
        for v in variants_of(text, _context_for(text)):
            assert "tempo irreal" not in v.text
            if v.operator != "trimmed_negation":  # it drops a whole clause, fixed phrases with it
                assert "machine learning" in v.text or "machine learning" not in text
            assert "servidores privados" not in v.text and "administração privada" not in v.text
            for marker in ("anteriormente", "anterior", "mencionado"):
                assert (marker in text) == (marker in v.text), (text, v.text)


def test_concept_swaps_never_stay_within_a_class():
    lexicon = default_lexicon()
    by_term = {c.term.lower(): c for c in lexicon.concepts}
    swaps = 0
    for text in SEED_TEXTS + list(LAW + SECURITY + DATABASES + ADMINISTRATION):
        for v in variants_of(text, _context_for(text)):
            if v.operator != "concept_swap":
                continue
            change = v.changes[0]
            old = next((c for t, c in by_term.items() if t in change["from"].lower()), None)
            new = next((c for t, c in by_term.items() if t in change["to"].lower()), None)
            if old and new:
                swaps += 1
                assert old.group == new.group and old.klass != new.klass, (change, old, new)
    assert swaps >= 8


def test_every_variant_differs_applies_its_changes_and_never_stacks_negations():
    for text in SEED_TEXTS + list(LAW + SECURITY + DATABASES + ADMINISTRATION):
        for v in variants_of(text, _context_for(text)):
            assert v.text != text
            edits = tuple(Edit(c["start"], c["end"], c["to"]) for c in v.changes)
            assert apply_edits(text, edits) == v.text
            assert all(text[c["start"]:c["end"]] == c["from"] for c in v.changes)
            assert " não não " not in v.text.lower()
            assert v.explanation.startswith("ERRADO. ")
            assert v.category in ("contradição", "extrapolação", "redução")
            assert 0 <= v.risk <= 1


def test_every_word_the_lexicon_can_insert_is_a_valid_portuguese_form():
    lexicon = default_lexicon()
    unknown = set()
    for table in (lexicon.antonyms, lexicon.extrapolations, lexicon.modals, lexicon.quantifiers):
        for rule in table.rules():
            unknown |= {w for w in words_of(rule.target) if not lexicon.is_word(w)}
    assert not unknown, f"add to the dictionary only if they are valid pt-BR: {sorted(unknown)}"
    assert not lexicon.is_word("implantaçao") and not lexicon.is_word("xyzzy")


def test_variants_equal_to_another_assertion_of_the_bank_are_dropped():
    text = "A automação reduz o tempo necessário para realizar tarefas repetitivas e de rotina no MLOps."
    other = "A automação aumenta o tempo necessário para realizar tarefas repetitivas e de rotina no MLOps."
    assert other in {v.text for v in generate(text, rng=random.Random(0))}
    kept = generate(text, rng=random.Random(0), forbidden=[other.upper()])
    assert other not in {v.text for v in kept} and kept


def test_same_seed_same_variants_other_seed_may_differ():
    first = generate_many(SEED_TEXTS, rng=random.Random(11), contexts=[SEED_CONTEXT] * len(SEED_TEXTS))
    again = generate_many(SEED_TEXTS, rng=random.Random(11), contexts=[SEED_CONTEXT] * len(SEED_TEXTS))
    assert first == again


def test_ranking_is_trusted_first_then_by_measured_precision_then_risk():
    for text in SEED_TEXTS:
        variants = variants_of(text)
        keys = [(not v.trusted, -round(v.precision, 2), v.risk) for v in variants]
        assert keys == sorted(keys), text
    # The seed has assertions with variants of several precisions: the order is not trivial.
    assert any(len({round(v.precision, 2) for v in variants_of(text)}) > 1 for text in SEED_TEXTS)


def test_operators_below_the_precision_floor_are_not_run():
    from app.perturb.precision import below_floor

    assert "list_restriction" in below_floor()  # 4 of 11 judged ok on the evaluation corpus
    text = "O MLOps automatiza etapas do ciclo de vida, como treinamento, testes e monitoramento."
    assert "list_restriction" in {v.operator for v in generate(text, rng=random.Random(0), floor=False)}
    assert "list_restriction" not in {v.operator for v in generate(text, rng=random.Random(0))}


def test_seed_document_targets():
    """The seed keeps 95% coverage, more than half with two variants and 6+ operators with the
    evaluation corpus's guards in force (the previous engine reached 80% with two variants by also
    making the kinds of variant the corpus judged bad). First places follow measured precision, so
    negation, the most precise operator, holds most of them; exams still cap any operator at 40%
    of their false items (max_operator_share)."""
    results = generate_many(SEED_TEXTS, rng=random.Random(0), contexts=[SEED_CONTEXT] * len(SEED_TEXTS))
    report = coverage(results)
    assert report.assertions == 80
    assert report.with_one / 80 >= 0.95
    assert report.with_two / 80 >= 0.50
    assert len(report.all_operators) >= 6
    assert report.max_first_share <= 0.80, report.first_operators


def test_operators_return_nothing_when_they_do_not_apply():
    assert generate("Sim.", rng=random.Random(0)) == []
    assert generate("Brasília, capital federal.", rng=random.Random(0)) == []


BUDGET_TOPIC = (
    "O PPA, a LDO e a LOA são leis de iniciativa do Poder Executivo.",
    "A LOA compreende o orçamento fiscal, o orçamento de investimento e o orçamento da seguridade social.",
    "A LDO orienta a elaboração da LOA e dispõe sobre as alterações na legislação tributária.",
)


def test_sibling_swap_takes_an_acronym_the_topic_coordinates_with_the_same_gender():
    context = Context(topic_sentences=BUDGET_TOPIC)
    swaps = {v.text for seed in range(6) for v in generate(BUDGET_TOPIC[1], rng=random.Random(seed), context=context)
             if v.operator == "sibling_swap"}
    # "o PPA" is masculine: "O PPA compreende ..." would keep "A" or break agreement, so only the LDO.
    assert swaps == {"A LDO compreende o orçamento fiscal, o orçamento de investimento e o orçamento da seguridade "
                     "social."}
    # The sentence that lists the siblings is not a claim about one of them.
    assert not [v for v in generate(BUDGET_TOPIC[0], rng=random.Random(0), context=context)
                if v.operator == "sibling_swap"]
    # Where the topic says much the same of the sibling, the swap would stay true.
    same = BUDGET_TOPIC + ("A LDO compreende o orçamento fiscal, o orçamento de investimento e o orçamento da "
                           "seguridade social do exercício.",)
    assert not [v for v in generate(BUDGET_TOPIC[1], rng=random.Random(0), context=Context(topic_sentences=same))
                if v.operator == "sibling_swap"]


def test_the_operator_names_requests_are_validated_against_are_the_engines():
    """app.perturb.names (what POST /exams accepts in `operators`) lists every operator the engine
    runs and every name concept_swap and numbers give, so that no variant's operator is refused as a filter."""
    from app.perturb.names import OPERATOR_NAMES
    from app.perturb.operators import OPERATORS

    engine = {operator.__name__ for operator in OPERATORS} | {
        "concept_swap_paired", "concept_swap_predicate", "numbers_trimmed"}
    assert engine | {"manual"} == set(OPERATOR_NAMES)


FAYOL = "Fayol propôs que as funções administrativas são prever, organizar, comandar, coordenar e controlar."


@pytest.mark.parametrize("seed", range(4))
def test_an_item_with_one_variant_gets_a_spare_swap_of_another_class_after_it(seed):
    """Only a concept swap applies to FAYOL: a spare, another author of another school, fills it up."""
    variants = generate(FAYOL, rng=random.Random(seed), context=CONTEXTS["administration"])
    assert [v.operator for v in variants] == ["concept_swap", "concept_swap"]
    names = [v.changes[0]["to"] for v in variants]
    assert len(set(names)) == 2 and "Fayol" not in names
    lexicon = default_lexicon()
    classes = {lexicon.concept_in_group[("admin-school-author", name.lower())].klass for name in names}
    assert len(classes) == 2


def test_an_item_with_two_variants_of_its_own_gets_no_spare():
    text = "Taylor enfatizou a racionalização do trabalho por meio do estudo de tempos e movimentos."
    variants = generate(text, rng=random.Random(0), context=CONTEXTS["administration"])
    assert sorted(v.operator for v in variants) == ["concept_swap", "negation"]


def test_a_term_a_definition_opens_with_may_take_the_other_gender():
    """"Denomina-se X a capacidade ...": nothing agrees with X, so a masculine term fits a feminine one."""
    text = "Denomina-se elasticidade rápida a capacidade de provisionar e liberar recursos conforme a demanda."
    produced = {v.text for seed in range(8) for v in generate(text, rng=random.Random(seed))}
    assert "Denomina-se serviço mensurado a capacidade de provisionar e liberar recursos conforme a demanda." \
        in produced


def test_a_count_of_the_list_after_a_colon_is_changed_in_the_clause_without_the_list():
    """Changed in place, "sete camadas: física, ..." would contradict its own list: the short item
    goes, as a spare, where the sentence has fewer than two other variants."""
    text = "O modelo de referência OSI é composto por sete camadas: física, enlace de dados, rede, transporte, " \
        "sessão, apresentação e aplicação."
    trimmed = [v for seed in range(6) for v in generate(text, rng=random.Random(seed))
               if v.operator == "numbers_trimmed"]
    assert trimmed
    for v in trimmed:
        assert v.text.startswith("O modelo de referência OSI é composto por ") and v.text.endswith(" camadas.")
        assert "sete" not in v.text and ":" not in v.text
    assert not [v for v in generate(text, rng=random.Random(0)) if v.operator == "numbers"]


def test_a_hedge_inside_the_dropped_reason_does_not_keep_the_claim_from_being_negated():
    """"razão pela qual se recomenda, em regra, normalizar": the hedge qualifies the recommendation,
    which the cut drops; the claim kept is unhedged. A hedge on the claim itself still blocks."""
    text = ("Algoritmos baseados em distância, como k-NN e k-means, são sensíveis à escala dos atributos, "
            "razão pela qual se recomenda, em regra, normalizar os dados.")
    assert "Algoritmos baseados em distância, como k-NN e k-means, não são sensíveis à escala dos atributos." in \
        {v.text for v in generate(text, rng=random.Random(0)) if v.operator == "trimmed_negation"}
    hedged = ("Algoritmos baseados em distância são, em regra, sensíveis à escala dos atributos, razão pela qual "
              "se recomenda normalizar os dados.")
    assert "trimmed_negation" not in {v.operator for v in generate(hedged, rng=random.Random(0))}


def test_imputation_measures_are_swapped_only_for_a_measure_of_another_kind():
    """Imputing by the median or the mode is as valid as by the mean: only a measure of dispersion
    makes "imputação pela média, pela mediana ou pela moda" false."""
    text = "O tratamento de valores ausentes pode ser feito por técnicas como a imputação pela média, pela " \
        "mediana ou pela moda."
    swapped = {v.changes[0]["to"].split()[-1] for seed in range(8) for v in generate(text, rng=random.Random(seed))
               if v.operator.startswith("concept_swap")}
    assert swapped and swapped <= {"variância", "padrão", "variação"}, swapped
